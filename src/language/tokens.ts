/**
 * The token vocabulary of the playbook language. Token types are data shared by the lexer,
 * the parser and the generated grammar artifacts; nothing here has state.
 *
 * Keywords are not reserved where the grammar is unambiguous: most of them may also be
 * used as names (`stage review`, `account.status is high`) through the `Name` and `Word`
 * categories. Only the words that start an expression form or an alternative are reserved.
 */
import { createToken, Lexer, type ITokenConfig, type TokenType } from './chevrotain.js';

/**
 * Each token type's categories, attached once every type exists (at the end of this file):
 * chevrotain's `createToken` re-derives every category's member list each time a member is
 * created, quadratic in the ~120 members (~15 ms of each process's start). The lexer and the
 * parser derive the members of their vocabulary's categories in one pass when constructed.
 */
const categoryLinks: Array<[TokenType, TokenType[]]> = [];

function memberToken({ categories, ...config }: ITokenConfig & { categories: TokenType[] }): TokenType {
  const type = createToken(config);
  categoryLinks.push([type, categories]);
  return type;
}

// ---------------------------------------------------------------------------------------
// Categories. They have no pattern: the parser matches them, the lexer never produces them.

/** Any word: identifiers and every keyword. Used after `.` and in `one of` lists. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a word' });
/** A word that can name something: identifiers and the keywords that are not reserved. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
/** Every token that can appear inside a line (all but NEWLINE, INDENT and DEDENT). */
export const LineContent = createToken({ name: 'LineContent', pattern: Lexer.NA, label: 'line content' });
/** Tokens that cannot start a playbook line: the first token of an unrecognised line. */
export const NotLineStart = createToken({ name: 'NotLineStart', pattern: Lexer.NA, label: 'a step' });
/** Tokens that cannot start a calendar line. */
export const NotCalendarStart = createToken({ name: 'NotCalendarStart', pattern: Lexer.NA, label: 'a calendar line' });
/** Tokens that cannot start an `account fields` line. */
export const NotFieldStart = createToken({ name: 'NotFieldStart', pattern: Lexer.NA, label: 'a field' });
/** Tokens that cannot start a `contact policy` line (`at most …`, `when capped …`). */
export const NotPolicyStart = createToken({ name: 'NotPolicyStart', pattern: Lexer.NA, label: 'a contact policy line' });
/** Tokens that cannot start a declaration. */
export const NotDeclarationStart = createToken({ name: 'NotDeclarationStart', pattern: Lexer.NA, label: 'a declaration' });

// ---------------------------------------------------------------------------------------
// Layout tokens, inserted by `layout.ts` from the indentation of each line.

export const Newline = createToken({ name: 'Newline', pattern: Lexer.NA, label: 'end of line' });
export const Indent = createToken({ name: 'Indent', pattern: Lexer.NA, label: 'an indented block' });
export const Dedent = createToken({ name: 'Dedent', pattern: Lexer.NA, label: 'end of block' });

// ---------------------------------------------------------------------------------------
// Keywords

/** How a keyword is highlighted by editors (the TextMate grammar is generated from it). */
export type KeywordRole = 'declaration' | 'statement' | 'clause' | 'operator' | 'constant' | 'type' | 'unit' | 'value';

export interface KeywordSpec {
  name: string;
  /** The spellings, e.g. `day` and `days`; a spelling may hold `/` (`yes/no`). */
  words: string[];
  role: KeywordRole;
}

const keywordSpecs: KeywordSpec[] = [
  { name: 'Playbook', words: ['playbook'], role: 'declaration' },
  { name: 'Calendar', words: ['calendar'], role: 'declaration' },
  { name: 'Account', words: ['account'], role: 'declaration' },
  { name: 'Fields', words: ['fields'], role: 'declaration' },
  { name: 'Events', words: ['events'], role: 'declaration' },
  { name: 'Coverage', words: ['coverage'], role: 'declaration' },

  { name: 'Owner', words: ['owner'], role: 'statement' },
  { name: 'Description', words: ['description'], role: 'statement' },
  { name: 'Trigger', words: ['trigger'], role: 'statement' },
  { name: 'Send', words: ['send'], role: 'statement' },
  { name: 'Exit', words: ['exit'], role: 'statement' },
  { name: 'Stage', words: ['stage'], role: 'statement' },
  { name: 'Email', words: ['email'], role: 'statement' },
  { name: 'Notify', words: ['notify'], role: 'statement' },
  { name: 'Task', words: ['task'], role: 'statement' },
  { name: 'Ask', words: ['ask'], role: 'statement' },
  { name: 'Escalate', words: ['escalate'], role: 'statement' },
  { name: 'Wait', words: ['wait'], role: 'statement' },
  { name: 'If', words: ['if'], role: 'statement' },
  { name: 'Else', words: ['else'], role: 'statement' },
  { name: 'Repeat', words: ['repeat'], role: 'statement' },
  { name: 'Set', words: ['set'], role: 'statement' },
  { name: 'Webhook', words: ['webhook'], role: 'statement' },
  { name: 'Run', words: ['run'], role: 'statement' },
  { name: 'Note', words: ['note'], role: 'statement' },
  { name: 'Stop', words: ['stop'], role: 'statement' },
  { name: 'After', words: ['after'], role: 'statement' },
  { name: 'On', words: ['on'], role: 'statement' },
  { name: 'Timezone', words: ['timezone'], role: 'statement' },
  { name: 'Working', words: ['working'], role: 'statement' },
  { name: 'Holidays', words: ['holidays'], role: 'statement' },
  { name: 'Holiday', words: ['holiday'], role: 'statement' },
  { name: 'Start', words: ['start'], role: 'statement' },
  { name: 'Parameters', words: ['parameters'], role: 'statement' },
  { name: 'Goal', words: ['goal'], role: 'statement' },

  { name: 'Manual', words: ['manual'], role: 'clause' },
  { name: 'Event', words: ['event'], role: 'clause' },
  { name: 'Where', words: ['where'], role: 'clause' },
  { name: 'When', words: ['when'], role: 'clause' },
  { name: 'Before', words: ['before'], role: 'clause' },
  { name: 'Window', words: ['window'], role: 'clause' },
  { name: 'To', words: ['to'], role: 'clause' },
  { name: 'Template', words: ['template'], role: 'clause' },
  { name: 'For', words: ['for'], role: 'clause' },
  { name: 'Due', words: ['due'], role: 'clause' },
  { name: 'As', words: ['as'], role: 'clause' },
  { name: 'Severity', words: ['severity'], role: 'clause' },
  { name: 'Until', words: ['until'], role: 'clause' },
  { name: 'Up', words: ['up'], role: 'clause' },
  { name: 'Timeout', words: ['timeout'], role: 'clause' },
  { name: 'Every', words: ['every'], role: 'clause' },
  { name: 'At', words: ['at'], role: 'clause' },
  { name: 'Most', words: ['most'], role: 'clause' },
  { name: 'Times', words: ['times'], role: 'clause' },
  { name: 'With', words: ['with'], role: 'clause' },
  { name: 'Outcome', words: ['outcome'], role: 'clause' },
  { name: 'Role', words: ['role'], role: 'clause' },
  { name: 'Since', words: ['since'], role: 'clause' },
  { name: 'One', words: ['one'], role: 'clause' },
  { name: 'Of', words: ['of'], role: 'clause' },
  { name: 'Unless', words: ['unless'], role: 'clause' },
  { name: 'Running', words: ['running'], role: 'clause' },
  { name: 'Once', words: ['once'], role: 'clause' },
  { name: 'Per', words: ['per'], role: 'clause' },
  { name: 'Cc', words: ['cc'], role: 'clause' },
  { name: 'Bcc', words: ['bcc'], role: 'clause' },
  { name: 'From', words: ['from'], role: 'clause' },
  { name: 'Policy', words: ['policy'], role: 'clause' },
  { name: 'Ignoring', words: ['ignoring'], role: 'clause' },
  { name: 'First', words: ['first'], role: 'clause' },
  { name: 'Optional', words: ['optional'], role: 'clause' },
  { name: 'Default', words: ['default'], role: 'clause' },
  { name: 'Any', words: ['any'], role: 'clause' },
  { name: 'Target', words: ['target'], role: 'clause' },
  { name: 'Within', words: ['within'], role: 'clause' },
  { name: 'Done', words: ['done'], role: 'clause' },
  { name: 'Created', words: ['created'], role: 'clause' },

  { name: 'And', words: ['and'], role: 'operator' },
  { name: 'Or', words: ['or'], role: 'operator' },
  { name: 'Not', words: ['not'], role: 'operator' },
  { name: 'Is', words: ['is'], role: 'operator' },
  { name: 'In', words: ['in'], role: 'operator' },
  { name: 'Empty', words: ['empty'], role: 'operator' },

  { name: 'Yes', words: ['yes'], role: 'constant' },
  { name: 'No', words: ['no'], role: 'constant' },
  { name: 'True', words: ['true'], role: 'constant' },
  { name: 'False', words: ['false'], role: 'constant' },
  { name: 'Today', words: ['today'], role: 'constant' },

  { name: 'YesNo', words: ['yes/no'], role: 'type' },
  { name: 'ScalarType', words: ['text', 'number', 'date', 'user', 'contact'], role: 'type' },
  { name: 'List', words: ['list'], role: 'type' },

  { name: 'Minute', words: ['minutes', 'minute'], role: 'unit' },
  { name: 'Hour', words: ['hours', 'hour'], role: 'unit' },
  { name: 'Day', words: ['days', 'day'], role: 'unit' },
  { name: 'Week', words: ['weeks', 'week'], role: 'unit' },
  { name: 'Month', words: ['months', 'month'], role: 'unit' },
  { name: 'Quarter', words: ['quarters', 'quarter'], role: 'unit' },
  { name: 'Year', words: ['years', 'year'], role: 'unit' },
  { name: 'Business', words: ['business'], role: 'unit' },

  { name: 'Weekday', words: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'], role: 'value' },
  { name: 'SeverityLevel', words: ['low', 'medium', 'high', 'critical'], role: 'value' },
];

/**
 * Keywords that never serve as names: each starts an expression form (`not`, `today`,
 * `days since`, `yes`), an operator, or an alternative that a name would make ambiguous
 * (`wait for event`, `wait for task`, `role "x"`).
 */
const reservedKeywords = new Set([
  'And',
  'Or',
  'Not',
  'Is',
  'In',
  'Empty',
  'Yes',
  'No',
  'True',
  'False',
  'Today',
  'Day',
  'Business',
  'Event',
  'Task',
  'Role',
  'YesNo',
]);

/** Keywords that start a line of a playbook body (header lines, steps and clauses). */
const lineStartKeywords = new Set([
  'Owner',
  'Description',
  'Trigger',
  'Calendar',
  'Send',
  'Exit',
  'Stage',
  'Email',
  'Notify',
  'Task',
  'Ask',
  'Escalate',
  'Wait',
  'If',
  'Else',
  'Repeat',
  'Set',
  'Webhook',
  'Run',
  'Note',
  'Stop',
  'After',
  'On',
  'One',
  'Start',
  'Parameters',
  'Goal',
]);
const calendarStartKeywords = new Set(['Timezone', 'Working', 'Holidays', 'Holiday']);
/** `contact policy` starts with the type word `contact` (a `ScalarType` token). */
const declarationStartKeywords = new Set(['Playbook', 'Calendar', 'Account', 'Events', 'Coverage', 'ScalarType']);
const policyStartKeywords = new Set(['At', 'When']);

function lineCategories(name: string, isWord: boolean): TokenType[] {
  const categories = [LineContent];
  if (!lineStartKeywords.has(name)) categories.push(NotLineStart);
  if (!calendarStartKeywords.has(name)) categories.push(NotCalendarStart);
  if (!declarationStartKeywords.has(name)) categories.push(NotDeclarationStart);
  if (!policyStartKeywords.has(name)) categories.push(NotPolicyStart);
  if (isWord) categories.push(Word);
  else categories.push(NotFieldStart);
  return categories;
}

export const Identifier = memberToken({
  name: 'Identifier',
  pattern: /[a-z][a-z0-9_-]*/,
  label: 'a name',
  categories: [...lineCategories('Identifier', true), Name],
});

/**
 * A keyword's token type. Keywords are not lexer patterns: the lexer matches a word as an
 * `Identifier` and `keywordOf` gives the keyword it spells, if any. That is what chevrotain's
 * `longer_alt` gave (a keyword only where the whole word is one, `note` but not `notes`) at
 * a fraction of the lexer's construction and matching work: one pattern for every word
 * instead of one per keyword. `yes/no` holds a `/`, so it stays a pattern of its own.
 */
function keywordToken(spec: KeywordSpec): TokenType {
  const categories = lineCategories(spec.name, true);
  if (!reservedKeywords.has(spec.name)) categories.push(Name);
  const lexed = spec.name === 'YesNo';
  return memberToken({
    name: spec.name,
    pattern: lexed ? spec.words[0] : Lexer.NA,
    ...(lexed ? { longer_alt: Identifier } : {}),
    label: spec.words.map((w) => `\`${w}\``).join(' or '),
    categories,
  });
}

export const keywords: ReadonlyArray<{ spec: KeywordSpec; type: TokenType }> = keywordSpecs.map((spec) => ({
  spec,
  type: keywordToken(spec),
}));

const keywordByName = new Map(keywords.map((k) => [k.spec.name, k.type]));
const keywordByWord = new Map(keywords.flatMap((k) => k.spec.words.map((word) => [word, k.type] as const)));

/** The keyword a word lexed as an `Identifier` spells, if it is one. */
export function keywordOf(word: string): TokenType | undefined {
  return keywordByWord.get(word);
}

function kw(name: string): TokenType {
  const type = keywordByName.get(name);
  if (!type) throw new Error(`no keyword token ${name}`);
  return type;
}

export const Playbook = kw('Playbook');
export const Calendar = kw('Calendar');
export const Account = kw('Account');
export const Fields = kw('Fields');
export const Events = kw('Events');
export const Coverage = kw('Coverage');
export const Owner = kw('Owner');
export const Description = kw('Description');
export const Trigger = kw('Trigger');
export const Send = kw('Send');
export const Exit = kw('Exit');
export const Stage = kw('Stage');
export const Email = kw('Email');
export const Notify = kw('Notify');
export const Task = kw('Task');
export const Ask = kw('Ask');
export const Escalate = kw('Escalate');
export const Wait = kw('Wait');
export const If = kw('If');
export const Else = kw('Else');
export const Repeat = kw('Repeat');
export const SetKeyword = kw('Set');
export const Webhook = kw('Webhook');
export const Run = kw('Run');
export const Note = kw('Note');
export const Stop = kw('Stop');
export const After = kw('After');
export const On = kw('On');
export const Timezone = kw('Timezone');
export const Working = kw('Working');
export const Holidays = kw('Holidays');
export const Holiday = kw('Holiday');
export const Manual = kw('Manual');
export const Event = kw('Event');
export const Where = kw('Where');
export const When = kw('When');
export const Before = kw('Before');
export const Window = kw('Window');
export const To = kw('To');
export const Template = kw('Template');
export const For = kw('For');
export const Due = kw('Due');
export const As = kw('As');
export const Severity = kw('Severity');
export const Until = kw('Until');
export const Up = kw('Up');
export const Timeout = kw('Timeout');
export const Every = kw('Every');
export const At = kw('At');
export const Most = kw('Most');
export const Times = kw('Times');
export const With = kw('With');
export const Outcome = kw('Outcome');
export const Role = kw('Role');
export const Since = kw('Since');
export const One = kw('One');
export const Of = kw('Of');
export const Unless = kw('Unless');
export const Running = kw('Running');
export const Once = kw('Once');
export const Per = kw('Per');
export const Cc = kw('Cc');
export const Bcc = kw('Bcc');
export const From = kw('From');
export const Policy = kw('Policy');
export const Ignoring = kw('Ignoring');
export const First = kw('First');
export const Optional = kw('Optional');
export const Default = kw('Default');
export const Any = kw('Any');
export const Start = kw('Start');
export const Parameters = kw('Parameters');
export const Goal = kw('Goal');
export const Target = kw('Target');
export const Within = kw('Within');
export const Done = kw('Done');
export const Created = kw('Created');
export const And = kw('And');
export const Or = kw('Or');
export const Not = kw('Not');
export const Is = kw('Is');
export const In = kw('In');
export const Empty = kw('Empty');
export const Yes = kw('Yes');
export const No = kw('No');
export const True = kw('True');
export const False = kw('False');
export const Today = kw('Today');
export const YesNo = kw('YesNo');
export const ScalarType = kw('ScalarType');
export const List = kw('List');
export const Minute = kw('Minute');
export const Hour = kw('Hour');
export const Day = kw('Day');
export const Week = kw('Week');
export const Month = kw('Month');
export const Quarter = kw('Quarter');
export const Year = kw('Year');
export const Business = kw('Business');
export const Weekday = kw('Weekday');
export const SeverityLevel = kw('SeverityLevel');

// ---------------------------------------------------------------------------------------
// Literals and punctuation

function contentToken(name: string, pattern: RegExp | string, label: string): TokenType {
  return memberToken({ name, pattern, label, categories: lineCategories(name, false) });
}

/** A complete string: `\"`, `\\`, `\{` and `\}` are its escapes (checked by the lexer). */
export const StringLit = contentToken('StringLit', /"(?:[^"\\\r\n]|\\[^\r\n])*"/, 'a string');
/** A string that reaches the end of the line; reported, then parsed as a string. */
export const UnterminatedString = memberToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  label: 'a string',
  categories: [...lineCategories('UnterminatedString', false), StringLit],
});
export const DateLit = contentToken('DateLit', /\d{4}-\d{2}-\d{2}/, 'a date such as `2026-06-30`');
/** One or two hour digits are lexed so a time such as `9:00` gets a precise message. */
export const TimeLit = contentToken('TimeLit', /\d{1,2}:\d{2}/, 'a time such as `09:00`');
export const NumberLit = contentToken('NumberLit', /\d+(?:\.\d+)?/, 'a number');
/** `90%`: a number divided by 100 (`0.9` equals `90%`). */
export const PercentLit = contentToken('PercentLit', /\d+(?:\.\d+)?%/, 'a percentage such as `90%`');

/** A word with capitals (`Monday`): reported, then lexed again in lower case. */
export const CapitalizedWord = createToken({ name: 'CapitalizedWord', pattern: /[A-Z][A-Za-z0-9_-]*/ });

export const NotEquals = contentToken('NotEquals', '!=', '`!=`');
export const LessEquals = contentToken('LessEquals', '<=', '`<=`');
export const GreaterEquals = contentToken('GreaterEquals', '>=', '`>=`');
export const Less = contentToken('Less', '<', '`<`');
export const Greater = contentToken('Greater', '>', '`>`');
export const Equals = contentToken('Equals', '=', '`=`');
/** `+ - * /`: one category, so an arithmetic chain is one repetition whose operators keep their order. */
export const ArithOp = createToken({ name: 'ArithOp', pattern: Lexer.NA, label: 'an operator' });
function arithToken(name: string, symbol: string): TokenType {
  return memberToken({ name, pattern: symbol, label: `\`${symbol}\``, categories: [...lineCategories(name, false), ArithOp] });
}
export const Plus = arithToken('Plus', '+');
export const Minus = arithToken('Minus', '-');
export const Star = arithToken('Star', '*');
export const Slash = arithToken('Slash', '/');
export const Colon = contentToken('Colon', ':', '`:`');
export const Comma = contentToken('Comma', ',', '`,`');
export const Dot = contentToken('Dot', '.', '`.`');
export const LParen = contentToken('LParen', '(', '`(`');
export const RParen = contentToken('RParen', ')', '`)`');
export const LBracket = contentToken('LBracket', '[', '`[`');
export const RBracket = contentToken('RBracket', ']', '`]`');

/**
 * A run of characters that cannot start any token (`@`, control characters, non-ASCII
 * letters). The lexer reports it as one diagnostic. As a token it is matched in one step,
 * where chevrotain's own error recovery would try every pattern at every character.
 */
const unexpectedRun = /[^ \t\r\na-zA-Z0-9"#:,.()[\]=<>!+\-*/]+/y;
export const Unexpected = createToken({
  name: 'Unexpected',
  pattern: {
    exec(text: string, offset: number): RegExpExecArray | null {
      unexpectedRun.lastIndex = offset;
      return unexpectedRun.exec(text);
    },
  },
  line_breaks: false,
  start_chars_hint: unexpectedStarts(),
});

/**
 * The characters `Unexpected` starts with, as chevrotain's first-character table needs them.
 * Its class excludes ASCII characters only, so the pattern is tested on ASCII and every other
 * code unit may start it. The table has an entry for each code below 256 and one for each
 * run of 255 codes above (chevrotain's `charCodeToOptimizedIndex`), so one code of each run
 * fills it as all 65,536 would: listing them all cost every process ~10 ms at startup. A
 * test lexes every code unit on its own to show none is missed.
 */
function unexpectedStarts(): number[] {
  const starts: number[] = [];
  for (let code = 0; code < 0x80; code++) {
    unexpectedRun.lastIndex = 0;
    if (unexpectedRun.test(String.fromCharCode(code))) starts.push(code);
  }
  for (let code = 0x80; code < 0x100; code++) starts.push(code);
  for (let code = 0x100; code < 0x10000; code++) if (code === 0x100 || Math.floor(code / 255) !== Math.floor((code - 1) / 255)) starts.push(code);
  return starts;
}

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });
/** A raw line break; `layout.ts` turns the ends of non-blank lines into `Newline` tokens. */
export const LineBreak = createToken({ name: 'LineBreak', pattern: /\r\n|\r|\n/, line_breaks: true });

/** The lexer's token types in matching order; keywords are found from `Identifier` (`keywordOf`). */
export const lexerTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  LineBreak,
  StringLit,
  UnterminatedString,
  DateLit,
  TimeLit,
  PercentLit,
  NumberLit,
  YesNo,
  Identifier,
  CapitalizedWord,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Colon,
  Comma,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Unexpected,
];

/** Every token type the parser knows: the lexer's, the layout tokens and the categories. */
export const parserTokens: TokenType[] = [
  Word,
  ArithOp,
  Name,
  LineContent,
  NotLineStart,
  NotCalendarStart,
  NotFieldStart,
  NotPolicyStart,
  NotDeclarationStart,
  Newline,
  Indent,
  Dedent,
  ...keywords.filter((k) => k.type !== YesNo).map((k) => k.type),
  ...lexerTokens.filter((t) => ![WhiteSpace, Comment, LineBreak, CapitalizedWord, Unexpected].includes(t)),
];

// Every type exists now: see `categoryLinks`.
for (const [type, categories] of categoryLinks) type.CATEGORIES = categories;
