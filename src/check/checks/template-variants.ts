/**
 * Localised templates (`templates/<base>.<locale>.md`): each is a variant of an ordinary
 * template, chosen by `account.locale`, so the base must exist (accounts without a matching
 * locale get it) and `account fields` must declare `locale` as text or `one of`. Their
 * interpolations are checked like any template's (references.ts, expression-types.ts).
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { CheckRegistry } from '../registry.js';

/** Per check run: PB2062 is reported once per workspace, at the first variant. */
export function templateVariantChecks(): CheckRegistry {
  let reported = false;
  return {
    template: [
      (node, accept, ctx) => {
        if (!node.variant) return;
        const { of, locale } = node.variant;
        if (!ctx.symbols.templates.has(of)) {
          accept('PB2061', node.span, `localised template \`${node.name}\` has no base template \`${of}\``, {
            hint: didYouMean(of, ctx.symbols.templates.keys()) ?? `add \`templates/${of}.md\`: accounts whose locale has no variant get it`,
          });
        }
        const field = ctx.symbols.fields.get('locale');
        if (reported || (field && (field.type.type === 'text' || field.type.type === 'one of'))) return;
        reported = true;
        const problem = field
          ? `\`account.locale\` is a \`${field.type.type === 'list' ? `list of ${field.type.of}` : field.type.type}\` field`
          : 'no `locale` account field is declared';
        accept('PB2062', node.span, `localised template \`${node.name}\` (for \`${locale}\`) can never be chosen: ${problem}`, {
          hint: "declare `locale: text` under `account fields`; each run picks the variant of its account's locale",
        });
      },
    ],
  };
}
