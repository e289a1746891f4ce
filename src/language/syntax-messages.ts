/**
 * Parse error messages in the style of compiler diagnostics: "expected a duration such as
 * `3 business days`, found `tomorrow`". chevrotain calls these while parsing; the
 * messages name what the grammar wanted, never chevrotain's rule or token names.
 */
import { tokenLabel, type IParserErrorMessageProvider, type TokenType } from './chevrotain.js';
import { describeToken } from './token-span.js';
import { Name, NumberLit } from './tokens.js';

/** What a rule stands for, for messages about a rule that could not start. */
const ruleDescriptions: Record<string, string> = {
  file: '`playbook`, `calendar` or `account fields`',
  fieldLine: 'a field such as `renewal_date: date`',
  fieldType: 'a field type (`text`, `number`, `date`, `yes/no`, `timezone`, `user`, `contact` or `one of a, b`)',
  calendarLine: 'a calendar line (`timezone`, `working days`, `working hours`, `holidays` or `holiday`)',
  timezoneSource: 'an account field or a time zone name in quotes',
  holidaysSource: 'an account field or a holiday country or region code in quotes such as "US" or "DE-BY"',
  workingItem: '`days` or `hours` after `working`',
  weekdays: 'a weekday such as `monday`',
  lineContent: 'a step',
  triggerLine: 'a trigger: `manual`, `on event "<name>"`, `<duration> before|after account.<field>` or `when <condition>`',
  waitStep: 'a duration, `until <date>` or `for <event, task or condition>` after `wait`',
  waitable: '`event "<name>"`, `task <name>` or a condition',
  recipient: 'a recipient such as `account.csm`, `role "support"` or an email address in quotes',
  fieldRef: 'a field such as `account.renewal_date`',
  duration: 'a duration such as `3 business days`',
  durationUnit: 'a duration unit (`minutes`, `hours`, `days`, `weeks`, `months`, `quarters`, `years`, `business days` or `business hours`)',
  direction: '`before` or `after`',
  compareOp: 'a comparison (`is`, `is not`, `=`, `!=`, `<`, `<=`, `>`, `>=`)',
  comparison: 'an expression',
  primary: 'an expression',
  prefix: 'an expression',
  atom: 'an expression',
  expression: 'an expression',
};

/** Rules whose first token, when missing, is better described by the rule itself. */
const ruleLeadTokens: Record<string, TokenType> = { duration: NumberLit, fieldRef: Name };

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const wanted = ruleLeadTokens[ruleName] === expected ? ruleDescriptions[ruleName] : undefined;
    return `expected ${wanted ?? tokenLabel(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)} after the end of the expression`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const first = actual[0];
    return `expected ${ruleDescriptions[ruleName] ?? 'something else'}, found ${first ? describeToken(first) : 'end of file'}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const first = actual[0];
    return `expected ${ruleDescriptions[ruleName] ?? 'more'}, found ${first ? describeToken(first) : 'end of file'}`;
  },
};
