/**
 * `docs/language.md` is the authors' reference; these tests keep the parts of it that mirror
 * code from drifting: its table of diagnostic codes and its complete example.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkDiagnosticCodes, isWarningCode, type CheckCode } from '../../src/check/codes.js';
import { syntaxDiagnosticCodes } from '../../src/language/syntax-codes.js';

const reference = await readFile('docs/language.md', 'utf8');

describe('docs/language.md', () => {
  it('lists every diagnostic code with its severity, and no other', () => {
    const documented = [...reference.matchAll(/^\| (PB\d{4}) \| (error|warning) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    const actual = [
      ...Object.keys(syntaxDiagnosticCodes).map((code) => `${code} error`),
      ...(Object.keys(checkDiagnosticCodes) as CheckCode[]).map((code) => `${code} ${isWarningCode(code) ? 'warning' : 'error'}`),
    ];
    expect(documented).toEqual(actual);
  });

  it('shows the renewal readiness playbook exactly as it is in the workspace', async () => {
    const playbook = await readFile('playbooks/renewal-readiness.playbook', 'utf8');
    expect(reference).toContain(`\`\`\`\n${playbook}\`\`\``);
  });
});
