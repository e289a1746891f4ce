/**
 * Cost of the contact-policy decision per email on Temporal: one playbook sending
 * `BENCH_CONTACT_EMAILS` (default 20) emails a day apart, run in a workspace with a
 * `contact policy` (every email's activity decides first, by an in-memory ledger, and sends
 * when the answer is to send now; the cap never fills, so every email goes out) and in the same workspace
 * without one, alternating on one time-skipping server. Prints history events and wall time
 * per email of each and their ratio (issue 16 target: at most 1.2× events per email).
 */
import { checkWorkspace } from '../src/check/check.js';
import { versionOf } from '../src/ir/canonical.js';
import { lowerPlaybook } from '../src/ir/lower.js';
import type { IrProgram } from '../src/ir/types.js';
import { MemoryContactLedger, sendAsDecided } from '../src/outreach/contact-ledger.js';
import { createTestEnv } from '../src/servers/test-env.js';
import { startNewRun } from '../src/temporal/client.js';
import { buildWorkspace } from '../src/workspace/build.js';
import { median, ms, type Row, type Suite } from './harness.js';
import { benchWorker, noopActivities, quietTemporalRuntime, ratio } from './temporal-setup.js';

const TASK_QUEUE = 'bench-contact-policy';
const EMAILS = Number(process.env.BENCH_CONTACT_EMAILS ?? 20);
/** Runs of each variant, alternating; the first of each is a warm-up. */
const ROUNDS = 4;

function program(withPolicy: boolean): IrProgram {
  const emails = Array.from({ length: EMAILS }, () => '  email account.primary_contact template "hello"').join('\n  wait 1 day\n');
  const policy = withPolicy ? 'contact policy\n  at most 1 email per contact per day\n  when capped defer\n\n' : '';
  const source = `account fields\n  primary_contact: contact\n\n${policy}playbook cadence "Cadence"\n  trigger manual\n${emails}\n`;
  const workspace = buildWorkspace(
    'ws',
    [{ path: 'ws/main.playbook', relPath: 'main.playbook', text: source }],
    [{ path: 'ws/templates/hello.md', relPath: 'templates/hello.md', text: 'Subject: Hello\n\nHello.\n' }],
  );
  const { diagnostics, model } = checkWorkspace(workspace);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return lowerPlaybook(model, 'cadence');
}

interface Figures {
  events: number;
  decisions: number;
  wallMs: number;
}

export const contactPolicy: Suite = {
  name: `Contact policy: cost per email, ${EMAILS} emails a day apart, with a policy vs without (time-skipping server)`,
  async run() {
    quietTemporalRuntime();
    const variants = { policy: program(true), none: program(false) };
    const ledger = new MemoryContactLedger();
    const decisions = new Map<string, number>();
    const env = await createTestEnv();
    try {
      const worker = await benchWorker(env, TASK_QUEUE, {
        ...noopActivities,
        // The email's own activity decides (the `contact-in-email` patch), counted per run.
        sendEmail: async ({ workflowId, runId, action }) =>
          sendAsDecided(
            action,
            (key, request) => {
              decisions.set(workflowId, (decisions.get(workflowId) ?? 0) + 1);
              return ledger.decide(`${workflowId}/${runId}/${key}`, request);
            },
            () => ({ ok: true }),
          ),
      });
      const measured: Record<keyof typeof variants, Figures[]> = { policy: [], none: [] };
      await worker.runUntil(async () => {
        for (let round = 0; round < ROUNDS; round++) {
          for (const key of ['policy', 'none'] as const) {
            const prog = variants[key];
            const account = { id: `acct-${key}-${round}`, primary_contact: `pat-${key}-${round}@acme.example` };
            const t0 = performance.now();
            const started = await startNewRun(env.client, { program: prog, version: versionOf(prog), account, taskQueue: TASK_QUEUE });
            const handle = env.client.workflow.getHandle(started.workflowId);
            await handle.result();
            const wallMs = performance.now() - t0;
            const events = (await handle.fetchHistory()).events ?? [];
            if (round > 0) measured[key].push({ events: events.length, decisions: decisions.get(started.workflowId) ?? 0, wallMs });
          }
        }
      });
      return rows(measured.policy, measured.none);
    } finally {
      await env.teardown();
    }
  },
};

function rows(policy: Figures[], none: Figures[]): Row[] {
  const perEmail = (fs: Figures[]) => ({ events: fs[0]!.events / EMAILS, wallMs: median(fs.map((f) => f.wallMs)) / EMAILS, decisions: fs[0]!.decisions });
  const p = perEmail(policy);
  const n = perEmail(none);
  const row = (label: string, f: ReturnType<typeof perEmail>): Row => ({
    label,
    figures: [`${f.events.toFixed(1)} events/email`, `${ms(f.wallMs)}/email`, `${f.decisions} decisions`],
  });
  return [
    row('with a contact policy', p),
    row('without a policy', n),
    { label: 'ratio (target ≤ 1.20× events)', figures: [ratio(p.events, n.events), ratio(p.wallMs, n.wallMs)] },
  ];
}
