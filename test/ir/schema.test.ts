import { describe, expect, it } from 'vitest';
import { InvalidIrError, parseIr } from '../../src/ir/schema.js';
import type { IrProgram } from '../../src/ir/types.js';
import { lowerFiles, TEMPLATE } from './helpers.js';

const SOURCE = [
  'calendar us',
  '  timezone account.timezone or "America/New_York"',
  '  working hours 09:00 to 17:00',
  '  holidays "US"',
  '',
  'playbook p "P"',
  '  trigger when account.health < 40',
  '  calendar us',
  '  stage one:',
  '    email account.primary_contact template "welcome"',
  '    task "Call" for account.csm due in 2 business days as call:',
  '      ask ok "OK?" yes/no',
  '    wait for task call up to 5 business days:',
  '      after 2 business days:',
  '        notify account.csm "Call {account.name}"',
  '      on timeout:',
  '        escalate to account.csm_manager severity high "Late"',
  '    if call.ok is no:',
  '      stop with outcome "unhappy"',
  '    else:',
  '      repeat every 1 week at most 3 times:',
  '        webhook "sync" with health: account.health',
].join('\n');

function program(): IrProgram {
  return lowerFiles({ 'main.playbook': SOURCE }, 'p', { welcome: TEMPLATE });
}

function failure(json: unknown): InvalidIrError {
  try {
    parseIr(json);
  } catch (e) {
    if (e instanceof InvalidIrError) return e;
    throw e;
  }
  throw new Error('parseIr accepted invalid IR');
}

describe('parseIr', () => {
  it('accepts lowered IR and its JSON round trip unchanged', () => {
    const ir = program();
    expect(parseIr(ir)).toEqual(ir);
    expect(parseIr(JSON.parse(JSON.stringify(ir)))).toEqual(ir);
  });

  it('names the path of a corrupted step', () => {
    const ir = JSON.parse(JSON.stringify(program()));
    ir.playbooks.p.body[0].body[2].rungs[0].body[0].to = { kind: 'fax', number: '555' };
    const error = failure(ir);
    expect(error.message).toMatch(/^invalid IR at playbooks\.p\.body\[0\]\.body\[2\]\.rungs\[0\]\.body\[0\]\.to/);
  });

  it('names the path of an ill-typed expression', () => {
    const ir = JSON.parse(JSON.stringify(program()));
    ir.playbooks.p.triggers[0].condition.right.value = { not: 'a literal' };
    expect(failure(ir).issues.map((i) => i.path)).toContain('playbooks.p.triggers[0].condition.right.value');
  });

  it('rejects a missing line, an unknown key, a bad time and another IR version', () => {
    const ir = JSON.parse(JSON.stringify(program()));
    delete ir.playbooks.p.body[0].line;
    ir.playbooks.p.extra = true;
    ir.calendars.us.workingHours.from = '9am';
    ir.irVersion = 2;
    const { issues } = failure(ir);
    expect(issues.find((i) => i.path === 'irVersion')?.message).toBe('unsupported IR version; this build reads irVersion 1');
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['irVersion', 'playbooks.p.body[0].line', 'playbooks.p', 'calendars.us.workingHours.from']));
  });

  it('rejects an entry that is not among the playbooks', () => {
    const ir = { ...program(), entry: 'missing' };
    expect(failure(ir).message).toBe('invalid IR at entry: the entry playbook is not among the playbooks');
  });

  it('rejects what is not an object', () => {
    expect(failure(null).message).toMatch(/^invalid IR at \(root\)/);
  });
});
