/**
 * Typed reads of chevrotain CST nodes. Under error recovery any child may be missing, and a
 * token may have been inserted by the parser; both read as `undefined` here, so the AST
 * builder never sees a made-up token.
 */
import type { CstElement, CstNode, IToken } from './chevrotain.js';
import type { Span } from './span.js';

function isToken(element: CstElement): element is IToken {
  return 'image' in element;
}

export function token(node: CstNode, key: string, index = 0): IToken | undefined {
  const element = node.children[key]?.[index];
  return element && isToken(element) && !element.isInsertedInRecovery ? element : undefined;
}

export function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter((e): e is IToken => isToken(e) && !e.isInsertedInRecovery);
}

export function child(node: CstNode, key: string, index = 0): CstNode | undefined {
  const element = node.children[key]?.[index];
  return element && !isToken(element) ? element : undefined;
}

export function childNodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** The only child node of a node made of one alternative (`lineContent`, `fieldLine` …). */
export function onlyChildNode(node: CstNode): CstNode | undefined {
  for (const elements of Object.values(node.children)) {
    for (const element of elements) if (!isToken(element)) return element;
  }
  return undefined;
}

/** The span a node covers; undefined for a node recovery left without tokens. */
export function nodeSpan(node: CstNode, file: string): Span | undefined {
  const l = node.location;
  if (!l || Number.isNaN(l.startOffset) || l.endOffset === undefined || Number.isNaN(l.endOffset)) return undefined;
  return {
    file,
    start: { offset: l.startOffset, line: l.startLine ?? 1, col: l.startColumn ?? 1 },
    end: { offset: l.endOffset + 1, line: l.endLine ?? 1, col: (l.endColumn ?? 0) + 1 },
  };
}
