/**
 * Typed reads of chevrotain CST nodes. Keys are checked against the node types generated
 * from the parser (`cst.generated.ts`): a misspelt key, a token read as a node or a node
 * read as a token does not compile. Under error recovery any child may be missing, whatever
 * the generated type says, and a token may have been inserted by the parser; both read as
 * `undefined` here, so the AST builder never sees a made-up token.
 */
import type { CstChildrenDictionary, CstElement, CstNode, IToken } from './chevrotain.js';
import type { Span } from './span.js';

type Children<N extends CstNode> = N['children'];
type ElementOf<N extends CstNode, K extends keyof Children<N>> = NonNullable<Children<N>[K]> extends ReadonlyArray<infer E> ? E : never;

/** The keys under which `N` holds tokens. */
export type TokenKey<N extends CstNode> = { [K in keyof Children<N>]-?: ElementOf<N, K> extends IToken ? K : never }[keyof Children<N>];

/** The keys under which `N` holds child nodes. */
export type NodeKey<N extends CstNode> = { [K in keyof Children<N>]-?: ElementOf<N, K> extends CstNode ? K : never }[keyof Children<N>];

/** Any child node of `N`, as a union discriminated by `name`. */
export type ChildNode<N extends CstNode> = { [K in NodeKey<N>]: ElementOf<N, K> }[NodeKey<N>];

function isToken(element: CstElement): element is IToken {
  return 'image' in element;
}

function elements(node: CstNode, key: PropertyKey): CstElement[] {
  return (node.children as CstChildrenDictionary)[key as string] ?? [];
}

/** The first token under `key`; a time range's two times have labels (`from`, `to`), not indexes. */
export function token<N extends CstNode>(node: N, key: TokenKey<N>): IToken | undefined {
  const element = elements(node, key)[0];
  return element && isToken(element) && !element.isInsertedInRecovery ? element : undefined;
}

export function tokens<N extends CstNode>(node: N, key: TokenKey<N>): IToken[] {
  return elements(node, key).filter((e): e is IToken => isToken(e) && !e.isInsertedInRecovery);
}

export function child<N extends CstNode, K extends NodeKey<N>>(node: N, key: K): ElementOf<N, K> | undefined {
  const element = elements(node, key)[0];
  return element && !isToken(element) ? (element as ElementOf<N, K>) : undefined;
}

export function childNodes<N extends CstNode, K extends NodeKey<N>>(node: N, key: K): Array<ElementOf<N, K>> {
  return elements(node, key).filter((e) => !isToken(e)) as Array<ElementOf<N, K>>;
}

/** Every child node, whatever its key (chevrotain groups them by key, not in source order). */
export function allChildNodes<N extends CstNode>(node: N): Array<ChildNode<N>> {
  return Object.values(node.children as CstChildrenDictionary)
    .flat()
    .filter((e) => !isToken(e)) as Array<ChildNode<N>>;
}

/** The only child node of a node made of one alternative (`lineContent`, `fieldLine` …). */
export function onlyChildNode<N extends CstNode>(node: N): ChildNode<N> | undefined {
  for (const elements of Object.values(node.children as CstChildrenDictionary)) {
    for (const element of elements) if (!isToken(element)) return element as ChildNode<N>;
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
