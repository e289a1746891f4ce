import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { register as accounts } from './accounts.js';
import { register as check } from './check.js';
import { register as cluster } from './cluster.js';
import { register as compile } from './compile.js';
import { register as complete } from './complete.js';
import { register as db } from './db.js';
import { register as control } from './control.js';
import { register as demo } from './demo.js';
import { register as deploy } from './deploy.js';
import { register as deployed } from './deployed.js';
import { register as dev } from './dev.js';
import { register as event } from './event.js';
import { register as graph } from './graph.js';
import { register as list } from './list.js';
import { register as report } from './report.js';
import { register as runs } from './runs.js';
import { register as serve } from './serve.js';
import { register as simulate } from './simulate.js';
import { register as start } from './start.js';
import { register as status } from './status.js';
import { register as suppressions } from './suppressions.js';
import { register as switches } from './switches.js';
import { register as test } from './test.js';
import { register as throttle } from './throttle.js';
import { register as tokens } from './tokens.js';
import { register as worker } from './worker.js';

/** Every `playbook` subcommand; each module adds one command to the program. */
export const commands: Array<(program: Command, ctx: CommandContext) => void> = [
  check,
  compile,
  graph,
  simulate,
  test,
  dev,
  cluster,
  worker,
  start,
  status,
  event,
  complete,
  list,
  runs,
  report,
  suppressions,
  control,
  deploy,
  deployed,
  switches,
  throttle,
  accounts,
  serve,
  tokens,
  db,
  demo,
];
