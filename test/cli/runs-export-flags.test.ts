/** `playbook runs export --from/--to` take what `playbook report` takes, strictly, before any store is opened. */
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

async function exportWith(...args: string[]): Promise<{ code: number; stderr: string }> {
  const io = bufferIo();
  const code = await main(['runs', 'export', '--format', 'csv', ...args], io);
  return { code, stderr: io.stderr() };
}

describe('playbook runs export --from / --to', () => {
  it.each([
    ['an instant without a zone, which would be read in the local time zone', '2026-01-31T09:00'],
    ['a day that does not exist', '2026-02-30'],
    ['a date with a time but no T', '2026-01-31 09:00Z'],
    ['words', 'last week'],
  ])('refuses %s (usage, 2)', async (_what, value) => {
    const { code, stderr } = await exportWith('--from', value);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `--from must be an ISO-8601 date (UTC) or an instant with Z or ±hh:mm, e.g. 2026-01-31 or 2026-01-31T09:00:00Z; got ${JSON.stringify(value)}`,
    );
  });

  it('accepts a date and an instant with an offset, then needs a store', async () => {
    const { code, stderr } = await exportWith('--from', '2026-01-01', '--to', '2026-01-31T09:00:00-05:00', '--config', '/nonexistent/playbook.config.json');
    expect(stderr).not.toContain('must be an ISO-8601');
    expect(code).not.toBe(0);
  });
});
