/**
 * Which variant of a localised template a run's email uses, from the account's `locale`
 * alone (so both clocks and every replay choose alike): the variant of exactly that locale,
 * else of its language (`de-AT` → `de`), else the template itself. Case does not matter and
 * `_` counts as `-` (`pt_br` is `pt-BR`), as CRMs write locales either way.
 */
import type { TemplateIr, TemplateTextIr } from '../ir/types.js';
import type { AccountValue } from '../ir/types.js';

export function localisedTemplate(template: TemplateIr, locale: AccountValue | undefined): { text: TemplateTextIr; locale?: string } {
  const { locales } = template;
  if (locales === undefined || typeof locale !== 'string' || locale === '') return { text: template };
  const wanted = locale.replaceAll('_', '-').toLowerCase();
  const language = wanted.split('-')[0];
  let fallback: string | undefined;
  for (const key of Object.keys(locales)) {
    const lower = key.toLowerCase();
    if (lower === wanted) return { text: locales[key]!, locale: key };
    if (lower === language) fallback = key;
  }
  return fallback === undefined ? { text: template } : { text: locales[fallback]!, locale: fallback };
}
