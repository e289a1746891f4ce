/** A position in a source file. `line` and `col` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Pos {
  offset: number;
  line: number;
  col: number;
}

/** A half-open range `[start, end)` of one source file. Every AST node carries one. */
export interface Span {
  file: string;
  start: Pos;
  end: Pos;
}

export function spanFrom(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: b.end };
}
