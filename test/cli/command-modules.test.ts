import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules, registrationsFor } from '../../src/cli/commands/index.js';
import { bufferIo } from '../../src/cli/io.js';

const ctx = { io: bufferIo(), exit: () => undefined };

function namesRegisteredBy(registers: Array<(program: Command, c: typeof ctx) => void>): string[] {
  const program = new Command('playbook');
  for (const register of registers) register(program, ctx);
  return program.commands.map((c) => c.name());
}

describe('command modules (src/cli/commands/index.ts)', () => {
  // A run loads the module its first argument names: a name listed under the wrong module
  // would make that command unknown.
  for (const module of commandModules) {
    it(`${module.names.join(', ')}: its module adds exactly these commands`, async () => {
      expect(namesRegisteredBy([(await module.load()).register])).toEqual(module.names);
    });
  }

  it('a command loads its own module; help, no command or an unknown one load every module', async () => {
    expect(namesRegisteredBy(await registrationsFor(['snooze', 'acme', 'review', '2026-12-05T09:00:00Z']))).toEqual([
      'complete',
      'reassign',
      'snooze',
      'close',
    ]);
    const all = commandModules.flatMap((m) => m.names);
    for (const argv of [[], ['--help'], ['help', 'check'], ['chek']]) expect(namesRegisteredBy(await registrationsFor(argv))).toEqual(all);
  });
});
