/**
 * Every diagnostic code the checker (and the template loader) can produce, with a one-line
 * description. Invalid dates and times, fractional amounts and misplaced header lines are
 * syntax errors (PB1xxx, `syntaxDiagnosticCodes`), not repeated here. Codes are stable: tests, golden files and editors key on them. `PB2xxx` are
 * errors, `PB3xxx` warnings.
 */
export const checkDiagnosticCodes = {
  PB2001: 'a playbook id is defined twice in the workspace',
  PB2002: 'a calendar id is defined twice in the workspace',
  PB2003: 'an account field is declared twice',
  PB2004: 'a stage id is used twice in one playbook',
  PB2005: 'a task name (`as`) is used twice in one playbook',
  PB2006: 'an event name (`wait for event ... as`) is used twice in one playbook',
  PB2007: 'an ask name is used twice in one task',
  PB2008: 'a webhook field is given twice',
  PB2009: '`account` (and `params` in a playbook with parameters) cannot name a task or an event',
  PB2010: 'unknown account field',
  PB2011: 'unknown calendar',
  PB2012: '`run playbook` names an unknown playbook',
  PB2013: 'playbooks run each other in a cycle',
  PB2014: 'unknown email template',
  PB2015: 'a reference names neither `account`, a task nor an event',
  PB2016: '`wait for task` names no task defined before it',
  PB2017: 'a task has no `ask` of that name',
  PB2018: 'a task or event is used before (or outside) the step that defines it',
  PB2019: 'a reference has the wrong shape (e.g. `account` without a field)',
  PB2020: 'the two sides of a comparison have different types',
  PB2021: '`<`, `<=`, `>`, `>=` used on values that are neither numbers nor dates',
  PB2022: 'a value is not one of the allowed values of a `one of` field or ask',
  PB2023: 'a date is expected here',
  PB2024: '`set` gives a field a value of the wrong type',
  PB2025: 'a yes/no condition is expected here',
  PB2026: 'a recipient field is not of type `user` or `contact`',
  PB2027: 'a bare word is only allowed as a `one of` value',
  PB2028: 'not a valid email address',
  PB2030: 'an `after` rung is not earlier than the `up to` deadline',
  PB2031: '`on timeout` without `up to` can never run',
  PB2033: 'a duration is 0',
  PB2034: 'a date is moved by minutes, hours or business hours',
  PB2040: 'unknown time zone',
  PB2041: 'working hours end before they start',
  PB2042: 'the send window ends before it starts',
  PB2043: 'unknown holiday country or region code',
  PB2046: 'a calendar time zone field is not of type `timezone`',
  PB2047: 'a calendar holiday field is neither `text` nor `one of` holiday codes',
  PB2051: 'a setting that may appear once is given twice',
  PB2060: 'an email template is not `Subject: <text>`, a blank line, then the body',
  PB2061: 'a localised template `<name>.<locale>.md` has no base template `<name>.md`',
  PB2062: 'localised templates, but no `locale` account field of type `text` or `one of` to choose them by',
  PB2070: 'an event is declared twice in `events`',
  PB2071: 'an event has no payload field of that name',
  PB2072: 'a payload field is declared twice in one event',
  PB2073: 'an event name is not declared in `events`',
  PB2074: '`unless running` names an unknown playbook',
  PB2080: '`+ - * /` on values that are not numbers, or a duration not added to or subtracted from a date',
  PB2081: 'a division by a literal 0',
  PB2082: 'a duration such as `30 days` used as a value on its own',
  PB2100: 'a cadence fires on a day of the month no month has (`on day 32`)',
  PB2101: 'a weekly cadence fires on a day of the month (`every week on day 15`)',
  PB2102: 'a run key reads an event that a trigger of the playbook does not bind',
  PB2120: 'a list of addresses is a recipient of `email` only',
  PB2121: '`from` names an account field that is not of type `user`',
  PB2122: '`from "…"` is neither `Name <address>` nor an email address',
  PB2124: 'a list is compared, ordered or tested with `in`',
  PB2130: 'the workspace declares `contact policy` twice',
  PB2131: 'a contact-policy cap counts in units other than calendar days, weeks or business days',
  PB2132: '`when capped` is given twice in `contact policy`',
  PB2133: 'two contact-policy caps count over the same period',
  PB2134: '`contact policy` has no cap',
  PB2135: 'a contact-policy cap of 0 emails',
  PB2140: "a question's `default` is not a value of its type",
  PB2150: 'an event or task is listed twice in one `wait for any of`',
  PB2160: '`run playbook … with` gives a parameter the playbook does not declare',
  PB2161: '`run playbook` leaves out a parameter the playbook declares without a `default`',
  PB2162: 'a value given to a parameter, or its `default`, has the wrong type',
  PB2163: 'a parameter is declared twice, or given twice in one `run playbook`',
  PB2164: '`params.<name>` names no parameter of the playbook',
  PB2165: '`run playbook … with` gives values to a playbook that declares no parameters',
  PB2166: 'a playbook with parameters has a trigger (only `run playbook … with` can give its values)',
  PB2170: 'a goal names a task the playbook does not name with `as`',
  PB2171: 'a goal names a stage the playbook does not have',
  PB2172: 'a goal id is declared twice in one playbook',
  PB2173: "a goal's target is not between 1% and 100%",
  PB2174: "a goal's milestone is its anchor, so it is met the moment its time starts",
  PB2175: "a wait's `where` has no `as` name to read the event it is choosing",
  PB2180: '`have run` in a `coverage` names an unknown playbook',
  PB2181: 'a coverage id is declared twice in the workspace',
  PB2182: "a coverage's target is not between 1% and 100%",
  PB3001: 'a step can never run because an earlier `stop` in its block ends the run',
  PB3002: 'business durations without a `calendar` count Monday–Friday in UTC without holidays',
  PB3003: 'a task has `ask` lines but no `as` name, so its answers cannot be used',
  PB3010: 'the workspace declares no `events`: event names and payloads are not checked',
  PB3020: 'an `else` is taken when a value its conditions compare is missing',
  PB3040: 'a cadence fires on day 29, 30 or 31, which shorter months lack (it fires on their last day)',
  PB3041: '`start at most N per day` in a playbook started only by hand (the throttle only queues starts by triggers)',
  PB3060: 'the same recipient is given twice in one `email`',
  PB3070: '`contact policy` without `when capped`: capped emails are deferred',
  PB3071: '`ignoring contact policy` in a workspace without a `contact policy`',
  PB3072: 'a contact-policy cap that a stricter cap makes unreachable',
  PB3073: 'business days of the contact policy counted in different calendars of the playbooks that email',
} as const;

export type CheckCode = keyof typeof checkDiagnosticCodes;

/**
 * Codes for a fault in the checker itself, not in the workspace: no playbook is meant to
 * produce them, so they have unit tests instead of golden cases and are not in the authors'
 * reference.
 */
export const internalDiagnosticCodes = {
  PB9001: 'a check threw: reported as this error instead of a crash, the other checks still run',
} as const;

export type InternalCode = keyof typeof internalDiagnosticCodes;

/** The message of PB9001. */
export function internalCheckMessage(check: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `internal error in check \`${check}\`: ${message}; please report it`;
}

export function isWarningCode(code: CheckCode | InternalCode): boolean {
  return code.startsWith('PB3');
}
