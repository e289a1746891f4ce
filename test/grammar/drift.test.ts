import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grammarArtifacts } from '../../src/language/grammar-artifacts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('grammar artifacts', () => {
  for (const artifact of grammarArtifacts()) {
    it(`${artifact.path} matches the grammar`, () => {
      const checkedIn = readFileSync(join(root, artifact.path), 'utf8');
      if (checkedIn !== artifact.content) expect.fail(`${artifact.path} is stale: run npm run grammar`);
    });
  }

  it('the TextMate grammar is valid JSON with the playbook scope and compiling patterns', () => {
    const tm = grammarArtifacts().find((a) => a.path.endsWith('.tmLanguage.json'));
    const grammar = JSON.parse(tm?.content ?? '{}');
    expect(grammar.scopeName).toBe('source.playbook');
    const keywordRules: Array<{ name: string; match: string }> = grammar.repository.keywords.patterns;
    const control = keywordRules.find((r) => r.name === 'keyword.control.playbook');
    const re = new RegExp(control?.match ?? '$^');
    expect(re.test('escalate')).toBe(true);
    expect(re.test('account.escalate')).toBe(false);
    expect(new RegExp(grammar.repository.duration.match).test('3 business days')).toBe(true);
  });

  it('the CST types have one node type per rule, keyed by token, subrule and label', () => {
    const types = grammarArtifacts().find((a) => a.path.endsWith('cst.generated.ts'))?.content ?? '';
    expect(types).toContain('export interface WaitStepCstNode extends CstNode');
    expect(types).toMatch(/export type SendWindowLineCstChildren = \{[^}]*\bfrom: IToken\[\];[^}]*\bto: IToken\[\];/);
    expect(types).toMatch(/export type ComparisonCstChildren = \{[^}]*\bleft: \(PrimaryCstNode\)\[\];[^}]*\bleftOp\?: IToken\[\];/);
  });

  it('the railroad diagram shows the rules of the parser', () => {
    const html = grammarArtifacts().find((a) => a.path.endsWith('.html'))?.content ?? '';
    expect(html).toContain('"name": "waitStep"');
    expect(html).toContain('"name": "expression"');
  });

  it('the railroad diagram is self-contained: its scripts and styles are inline', () => {
    const html = grammarArtifacts().find((a) => a.path.endsWith('.html'))?.content ?? '';
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*\shref=/);
    expect(html).toContain('drawDiagramsFromSerializedGrammar: function');
    expect(html).toMatch(/<style>[^<]*\.railroad-diagram/);
  });
});
