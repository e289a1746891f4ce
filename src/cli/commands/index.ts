import type { Command } from 'commander';
import type { CommandContext } from '../main.js';
import { register as check } from './check.js';
import { register as compile } from './compile.js';
import { register as graph } from './graph.js';
import { register as simulate } from './simulate.js';
import { register as test } from './test.js';

/** Every `playbook` subcommand; each module adds one command to the program. */
export const commands: Array<(program: Command, ctx: CommandContext) => void> = [check, compile, graph, simulate, test];
