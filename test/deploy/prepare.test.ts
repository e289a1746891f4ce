/** From a workspace to a deploy request: refused when the check fails, one program and version per playbook. */
import { describe, expect, it } from 'vitest';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { versionOf } from '../../src/ir/canonical.js';
import { buildWorkspace } from '../../src/workspace/build.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { REFERENCE_PLAYBOOKS } from '../support/reference-playbooks.js';

const FIELDS = 'account fields\n  name: text\n  csm: user\n  segment: one of smb, enterprise\n';
const playbook = (id: string, body: string) => `playbook ${id} "${id}"\n  trigger on event "${id}.go"\n\n  stage one "One":\n${body}`;

const workspaceOf = (files: Record<string, string>) =>
  buildWorkspace(
    'ws',
    Object.entries(files).map(([name, text]) => ({ path: `ws/${name}`, relPath: name, text })),
  );

describe('prepareDeployment', () => {
  it('compiles every playbook of the reference workspace to its own program and version', async () => {
    const prepared = prepareDeployment(await loadWorkspace('playbooks'), 'cli:tester');
    if (!prepared.ok) throw new Error('the reference workspace should check clean');
    const { playbooks, fields, by } = prepared.request;
    expect(by).toBe('cli:tester');
    expect(playbooks.map((p) => p.id)).toEqual(REFERENCE_PLAYBOOKS);
    for (const release of playbooks) {
      expect(release.program.entry).toBe(release.id);
      expect(release.version).toBe(versionOf(release.program));
    }
    expect(new Set(playbooks.map((p) => p.version)).size).toBe(playbooks.length);
    // A playbook run by another travels inside the other's program too.
    expect(Object.keys(playbooks.find((p) => p.id === 'onboarding-enterprise')!.program.playbooks)).toEqual([
      'executive-sponsor-check',
      'onboarding-enterprise',
    ]);
    expect(fields.segment).toEqual({ type: 'one of', values: ['smb', 'mid-market', 'enterprise'] });
    expect(Object.keys(fields)).toEqual([...Object.keys(fields)].sort());
  });

  it("keeps each playbook's calendar with its source, for the reports' business time; null without one", async () => {
    const prepared = prepareDeployment(await loadWorkspace('playbooks'), 'cli:tester');
    if (!prepared.ok) throw new Error('the reference workspace should check clean');
    const onboarding = prepared.sources.find((s) => s.playbook === 'onboarding-enterprise')!;
    expect(onboarding.calendar).toMatchObject({ id: 'us-business', workingHours: { from: '09:00', to: '17:00' } });
    const bare = prepareDeployment(workspaceOf({ 'fields.playbook': FIELDS, 'a.playbook': playbook('a', '    notify account.csm "hello"\n') }), 'x');
    if (!bare.ok) throw new Error('it should check clean');
    expect(bare.sources[0]!.calendar).toBeNull();
  });

  it("lowers the workspace's coverages for the store: the reference renewal coverage in renewal-readiness's calendar", async () => {
    const prepared = prepareDeployment(await loadWorkspace('playbooks'), 'cli:tester');
    if (!prepared.ok) throw new Error('the reference workspace should check clean');
    expect(prepared.coverages).toMatchObject([
      { id: 'renewal-coverage', target: 95, playbook: 'renewal-readiness', calendar: { id: 'us-business' }, since: [{ field: 'renewal_date', days: -90 }] },
    ]);
  });

  it("keeps each playbook's goals with its source, for the at-risk report's pending goals; none without", async () => {
    const prepared = prepareDeployment(await loadWorkspace('playbooks'), 'cli:tester');
    if (!prepared.ok) throw new Error('the reference workspace should check clean');
    const onboarding = prepared.sources.find((s) => s.playbook === 'onboarding-enterprise')!;
    expect(onboarding.goals?.map((g) => [g.id, g.anchor.kind, g.within])).toEqual([
      ['kickoff', 'start', { amount: 10, unit: 'business day' }],
      ['training', 'event', { amount: 15, unit: 'business day' }],
      ['activated', 'stage', { amount: 30, unit: 'day' }],
    ]);
    expect(prepared.sources.find((s) => s.playbook === 'nps-detractor')!.goals).toBeUndefined();
  });

  it('gives a playbook a new version only when it or a playbook it runs changed', () => {
    const files = {
      'fields.playbook': FIELDS,
      'a.playbook': playbook('a', '    notify account.csm "hello"\n'),
      'b.playbook': playbook('b', '    notify account.csm "bye"\n'),
    };
    const before = prepareDeployment(workspaceOf(files), 'x');
    const after = prepareDeployment(workspaceOf({ ...files, 'b.playbook': playbook('b', '    notify account.csm "see you"\n') }), 'x');
    if (!before.ok || !after.ok) throw new Error('both should check clean');
    const versions = (p: typeof before) => Object.fromEntries(p.request.playbooks.map((r) => [r.id, r.version]));
    expect(versions(after).a).toBe(versions(before).a);
    expect(versions(after).b).not.toBe(versions(before).b);
  });

  it('refuses a workspace with errors and returns its diagnostics', () => {
    const prepared = prepareDeployment(workspaceOf({ 'fields.playbook': FIELDS, 'a.playbook': playbook('a', '    notify account.owner "hello"\n') }), 'x');
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['PB2010']);
  });

  it('deploys the account fields of a workspace without playbooks', () => {
    const prepared = prepareDeployment(workspaceOf({ 'fields.playbook': FIELDS }), 'x');
    if (!prepared.ok) throw new Error('should check clean');
    expect(prepared.request.playbooks).toEqual([]);
    expect(Object.keys(prepared.request.fields)).toEqual(['csm', 'name', 'segment']);
  });
});
