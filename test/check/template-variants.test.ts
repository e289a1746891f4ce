/**
 * Localised templates `templates/<name>.<locale>.md`: which file names are variants, the
 * checks of variants (PB2061, PB2062, and interpolations like any template), their IR (only
 * when present), the interpreter's choice by `account.locale` and a simulated run.
 */
import { describe, expect, it } from 'vitest';
import { lowerPlaybook } from '../../src/ir/lower.js';
import { irProgramSchema } from '../../src/ir/schema.js';
import type { TemplateIr } from '../../src/ir/types.js';
import type { Action } from '../../src/runtime/effects.js';
import { localisedTemplate } from '../../src/runtime/template-locale.js';
import { simulate } from '../../src/simulate/simulate.js';
import { templateVariant } from '../../src/workspace/template.js';
import { account, options } from '../runtime/ir-builders.js';
import { check, codes, expectClean, expectIssue } from './helpers.js';

const PLAYBOOK = 'playbook p\n  email account.primary_contact template "welcome"\n';
const LOCALE_FIELD = 'account fields\n  locale: text\n';
const WELCOME = 'Subject: Welcome, {account.name}\n\nHello!\n';
const WILLKOMMEN = 'Subject: Willkommen, {account.name}\n\nHallo!\n';

describe('template variant names', () => {
  it('takes a BCP 47 language with an optional region as the locale of a variant', () => {
    expect(templateVariant('welcome.de')).toEqual({ of: 'welcome', locale: 'de' });
    expect(templateVariant('welcome.pt-BR')).toEqual({ of: 'welcome', locale: 'pt-BR' });
    expect(templateVariant('renewal.heads-up.es-419')).toEqual({ of: 'renewal.heads-up', locale: 'es-419' });
    expect(templateVariant('welcome.fil')).toEqual({ of: 'welcome', locale: 'fil' });
  });

  it('leaves any other suffix to an ordinary template name', () => {
    for (const name of ['welcome', 'welcome.DE', 'welcome.pt-br', 'welcome.pt_BR', 'notes.v2', 'welcome.deutsch', '.de', 'welcome.de-']) {
      expect(templateVariant(name), name).toBeUndefined();
    }
  });
});

describe('checks of localised templates', () => {
  it('accepts variants of a template with a text or `one of` locale field', () => {
    expectClean(
      check({ 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD }, { welcome: WELCOME, 'welcome.de': WILLKOMMEN, 'welcome.pt-BR': WELCOME }),
    );
    expectClean(
      check({ 'main.playbook': PLAYBOOK, 'locale.playbook': 'account fields\n  locale: one of de, fr\n' }, { welcome: WELCOME, 'welcome.de': WILLKOMMEN }),
    );
  });

  it('checks every variant like its template: an unknown field in the variant is reported in the variant', () => {
    const result = check(
      { 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD },
      { welcome: WELCOME, 'welcome.de': 'Subject: Willkommen, {account.nmae}\n\nHallo!\n' },
    );
    expectIssue(result, 'PB2010', { file: 'ws/templates/welcome.de.md', line: 1, col: 31 });
    expect(codes(check({ 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD }, { welcome: WELCOME, 'welcome.de': 'Willkommen\n\nHallo!\n' }))).toEqual([
      'PB2060',
    ]);
  });

  it('reports a variant without its template (PB2061)', () => {
    const result = check({ 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD }, { welcome: WELCOME, 'welcom.de': WILLKOMMEN });
    expect(expectIssue(result, 'PB2061', { file: 'ws/templates/welcom.de.md', line: 1, col: 1 }).hint).toBe('did you mean `welcome`?');
    expect(codes(result)).toEqual(['PB2061']);
  });

  it('reports variants without a text `locale` account field once (PB2062)', () => {
    const none = check({ 'main.playbook': PLAYBOOK }, { welcome: WELCOME, 'welcome.de': WILLKOMMEN, 'welcome.fr': WELCOME });
    expectIssue(none, 'PB2062', { file: 'ws/templates/welcome.de.md', line: 1, col: 1 });
    const numeric = check(
      { 'main.playbook': PLAYBOOK, 'locale.playbook': 'account fields\n  locale: number\n' },
      { welcome: WELCOME, 'welcome.de': WILLKOMMEN },
    );
    expect(expectIssue(numeric, 'PB2062', { file: 'ws/templates/welcome.de.md', line: 1, col: 1 }).message).toContain('`account.locale` is a `number` field');
  });

  it('does not take a malformed locale suffix for a variant, nor a variant for a template of its own', () => {
    expectClean(check({ 'main.playbook': PLAYBOOK }, { welcome: WELCOME, 'welcome.DE': WILLKOMMEN }));
    const result = check(
      { 'main.playbook': 'playbook p\n  email account.primary_contact template "welcome.de"\n', 'locale.playbook': LOCALE_FIELD },
      { welcome: WELCOME, 'welcome.de': WILLKOMMEN },
    );
    const d = expectIssue(result, 'PB2014', { line: 2, col: 42 });
    expect(d.hint).toBe('`templates/welcome.de.md` is the `de` variant of `welcome`, chosen by `account.locale`: write `template "welcome"`');
  });
});

describe('IR of localised templates', () => {
  it('lowers the variants under `locales`, sorted, only when there are any', () => {
    const lowered = (templates: Record<string, string>) => {
      const { diagnostics, model } = check({ 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD }, templates);
      expect(diagnostics).toEqual([]);
      return lowerPlaybook(model, 'p');
    };
    expect(Object.keys(lowered({ welcome: WELCOME }).templates.welcome!)).toEqual(['subject', 'body']);
    const program = lowered({ welcome: WELCOME, 'welcome.pt-BR': WELCOME, 'welcome.de': WILLKOMMEN });
    expect(Object.keys(program.templates.welcome!.locales!)).toEqual(['de', 'pt-BR']);
    expect(program.templates.welcome!.locales!.de!.subject).toEqual(['Willkommen, ', { op: 'field', field: 'name' }]);
    expect(irProgramSchema.parse(program)).toEqual(program);
  });
});

describe('choosing a variant by account.locale', () => {
  const text = (subject: string) => ({ subject: [subject], body: [] });
  const template: TemplateIr = { ...text('en'), locales: { de: text('de'), 'de-CH': text('de-CH'), 'pt-BR': text('pt-BR') } };
  const chosen = (locale: unknown) => localisedTemplate(template, locale as string).text.subject[0];

  it('takes the exact locale, else its language, else the template itself', () => {
    expect(chosen('de-CH')).toBe('de-CH');
    expect(chosen('de-AT')).toBe('de');
    expect(chosen('de')).toBe('de');
    expect(chosen('pt-BR')).toBe('pt-BR');
    expect(chosen('pt-PT')).toBe('en');
    expect(chosen('fr')).toBe('en');
  });

  it('ignores case and takes `_` for `-`', () => {
    expect(chosen('PT-br')).toBe('pt-BR');
    expect(chosen('pt_BR')).toBe('pt-BR');
    expect(chosen('DE')).toBe('de');
  });

  it('takes the template itself for an account without a locale', () => {
    for (const locale of [undefined, null, '', 42]) expect(chosen(locale)).toBe('en');
    expect(localisedTemplate(template, 'fr')).toEqual({ text: template });
    expect(localisedTemplate(template, 'de-AT').locale).toBe('de');
  });
});

describe('a simulated run with a localised template', () => {
  const { model } = check({ 'main.playbook': PLAYBOOK, 'locale.playbook': LOCALE_FIELD }, { welcome: WELCOME, 'welcome.de': WILLKOMMEN });
  const program = lowerPlaybook(model, 'p');

  const run = async (locale?: string) => {
    const sent: Action[] = [];
    const result = await simulate(
      options(program, [], {
        account: { ...account, ...(locale !== undefined && { locale }) },
        performAction: (action) => {
          sent.push(action);
          return { ok: true };
        },
      }),
    );
    return { email: result.timeline.find((e) => e.kind === 'email')!, action: sent.find((a) => a.kind === 'email')! };
  };

  it("sends the variant of the account's language and records its locale on the timeline", async () => {
    const { email, action } = await run('de-AT');
    expect(email).toMatchObject({ text: 'Willkommen, Acme', template: 'welcome', locale: 'de' });
    expect(action).toMatchObject({ kind: 'email', template: 'welcome', subject: 'Willkommen, Acme', body: 'Hallo!\n' });
  });

  it('sends the template itself, without a locale on the timeline, to an account without one', async () => {
    const { email, action } = await run();
    expect(email).toMatchObject({ text: 'Welcome, Acme', template: 'welcome' });
    expect(email).not.toHaveProperty('locale');
    expect(action).toMatchObject({ subject: 'Welcome, Acme', body: 'Hello!\n' });
  });
});
