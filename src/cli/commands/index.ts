import type { Command } from 'commander';
import type { CommandContext } from '../main.js';

/** Every `playbook` subcommand; each module adds one command to the program. */
export const commands: Array<(program: Command, ctx: CommandContext) => void> = [];
