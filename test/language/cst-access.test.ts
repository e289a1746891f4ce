import { describe, expect, it } from 'vitest';
import { child, childNodes, token } from '../../src/language/cst-access.js';
import type { FileCstNode, SendWindowLineCstNode } from '../../src/language/cst.generated.js';
import { tokenize } from '../../src/language/lexer.js';
import { parser } from '../../src/language/parser.js';

function parseFile(text: string): FileCstNode {
  parser.input = tokenize(text, 'a.playbook').tokens;
  return parser.file() as FileCstNode;
}

describe('typed CST reads', () => {
  it('reads a time range by its labels, not by position', () => {
    const file = parseFile('playbook p\n  send window 09:00 to 17:30\n  note "x"\n');
    const body = child(childNodes(file, 'playbookDecl')[0]!, 'block');
    const content = body && child(childNodes(body, 'line')[0]!, 'lineContent');
    const line = content && child(content, 'sendWindowLine');
    expect([line && token(line, 'from')?.image, line && token(line, 'to')?.image]).toEqual(['09:00', '17:30']);
  });

  it('rejects, at compile time, a key the generated types do not have', () => {
    // Type-level: `npm run typecheck` fails if any of these compiles.
    const misuse = (line: SendWindowLineCstNode) => {
      // @ts-expect-error a misspelt key
      token(line, 'form');
      // @ts-expect-error `Send` is a token, not a node
      child(line, 'Send');
      // @ts-expect-error the times are labelled `from` and `to`
      token(line, 'TimeLit');
    };
    expect(misuse).toBeTypeOf('function');
  });
});
