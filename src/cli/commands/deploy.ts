import type { Command } from 'commander';
import type { CommandContext } from '../main.js';

/** Placeholder: `playbook deploy` is registered by its owner. */
export function register(_program: Command, _ctx: CommandContext): void {}
