/**
 * Accepts the current output of the named golden cases: prints the diff against the
 * reviewed file, then rewrites it. Only named cases, so goldens are never regenerated
 * blindly: `npx tsx scripts/accept-golden.ts PB2010-unknown-field ...`
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { listCases, renderCase } from '../test/golden/golden-cases.js';

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write('usage: npx tsx scripts/accept-golden.ts <case>...   (case names as in test/golden/cases)\n');
  process.exit(2);
}
const cases = new Map(listCases().map((c) => [c.name, c]));
const unknown = names.filter((n) => !cases.has(n.replace(/\.(playbook|errors\.txt)$/, '')));
if (unknown.length > 0) {
  process.stderr.write(`unknown golden case: ${unknown.join(', ')}\n`);
  process.exit(2);
}

for (const name of names) {
  const c = cases.get(name.replace(/\.(playbook|errors\.txt)$/, ''))!;
  const actual = await renderCase(c);
  const previous = existsSync(c.expected) ? readFileSync(c.expected, 'utf8') : '';
  if (actual === previous) {
    process.stdout.write(`${c.name}: unchanged\n`);
    continue;
  }
  process.stdout.write(`${c.name}: ${previous ? 'changed' : 'new'}\n${lineDiff(previous, actual)}\n`);
  writeFileSync(c.expected, actual);
}

/** A minimal line diff (longest common subsequence): `-` removed, `+` added, ` ` kept. */
function lineDiff(before: string, after: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || common[i]![j + 1]! >= common[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out.join('\n');
}
