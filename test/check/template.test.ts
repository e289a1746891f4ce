import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/workspace/template.js';

const parse = (text: string) => parseTemplate({ path: 't/welcome.md', relPath: 'templates/welcome.md', text }, 'welcome');

describe('parseTemplate', () => {
  it('splits subject and body and parses interpolations with file positions', () => {
    const { template, diagnostics } = parse('Subject: Hi {account.name}\n\nDear {account.name},\nbye\n');
    expect(diagnostics).toEqual([]);
    const subjectExpr = template.subject.find((p) => p.kind === 'expr');
    expect(subjectExpr?.kind === 'expr' && subjectExpr.expr.span.start).toMatchObject({ line: 1, col: 14 });
    const bodyExpr = template.body.find((p) => p.kind === 'expr');
    expect(bodyExpr?.kind === 'expr' && bodyExpr.expr.span.start).toMatchObject({ line: 3, col: 7 });
  });

  it('reports a missing Subject line at line 1', () => {
    const { diagnostics } = parse('Hello\n\nBody\n');
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.col])).toEqual([['PB2060', 1, 1]]);
  });

  it('reports an empty subject and a missing blank line', () => {
    expect(parse('Subject:\n\nBody\n').diagnostics.map((d) => d.code)).toEqual(['PB2060']);
    expect(parse('Subject: Hi\nBody\n').diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['PB2060', 2]]);
  });

  it('accepts CRLF line ends', () => {
    expect(parse('Subject: Hi\r\n\r\nBody\r\n').diagnostics).toEqual([]);
  });

  it('reports a malformed interpolation at its position', () => {
    const { diagnostics } = parse('Subject: Hi\n\nDear {account.name\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.span.start.line).toBe(3);
  });
});
