/** Every syntax diagnostic code with a one-line description (the golden tests hold one case each). */
export const syntaxDiagnosticCodes = {
  PB1001: 'unexpected character',
  PB1002: 'unterminated string',
  PB1003: 'tab in indentation',
  PB1004: 'indentation matches no enclosing block',
  PB1005: 'nesting too deep',
  PB1006: 'unknown escape sequence in a string',
  PB1007: 'capital letters in a word',
  PB1008: 'the first line of a file is indented',
  PB1010: 'unexpected token',
  PB1011: 'missing `:` before an indented block',
  PB1012: 'indented block under a line that does not open one',
  PB1013: 'missing indented block',
  PB1014: 'invalid time',
  PB1015: 'invalid date',
  PB1016: 'invalid count or duration amount',
  PB1017: 'header line after the first step or inside a block',
  PB1018: 'line in a block where it is not allowed',
  PB1019: 'unknown line',
  PB1020: 'unclosed `{` in a text',
  PB1021: 'empty `{}` in a text',
  PB1022: '`:` at the end of a line that does not open a block',
  PB1023: 'invalid question type',
  PB1024: 'an event payload field without a type',
  PB1025: 'a trigger guard (`unless running`, `at most once per`) given twice',
} as const;

export type SyntaxCode = keyof typeof syntaxDiagnosticCodes;
