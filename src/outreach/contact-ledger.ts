/**
 * Where contact-policy decisions are made and reserved, serialised per contact: the store's
 * `contact_reservations` (shared by every worker), or, without a store, a JSON-lines file under
 * the worker's `dataDir` guarded by a lock file (every run served by workers of this host).
 * A decision is made once per key: a retried activity gets the answer its first attempt
 * recorded.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ActionResult, ContactDecision, ContactRequest, EmailAction } from '../runtime/effects.js';
import { appendJsonLine, readJsonLines } from '../sinks/jsonl-file.js';
import { normalAddress } from '../store/suppressions.js';
import { withFileLock } from '../util/file-lock.js';
import { decideContact, lookbackFrom } from './contact-policy.js';

export interface ContactReservation {
  /** `<workflowId>/<runId>/<action key>`: unique per decision. */
  key: string;
  accountId: string;
  workflowId: string;
  playbook: string;
  request: ContactRequest;
}

export interface ContactLedger {
  /** The decision for `reservation` (made now, or the one made before for its key), reserved for its contact. */
  reserve(reservation: ContactReservation): Promise<ContactDecision>;
}

type Maybe<T> = T | Promise<T>;

/**
 * Performs an email that may carry its contact-policy question (`action.contact`): `decide`
 * answers it (keyed like a `contact` action: the email's key with `:contact`), and `send` sends
 * the email, without the question, only when the answer is to send now. The result carries the
 * answer; a deferred or skipped email is not sent. An email without a question is just sent.
 * Synchronous when `decide` and `send` are (the simulator's actions complete in their order).
 */
export function sendAsDecided(
  action: EmailAction,
  decide: (key: string, request: ContactRequest) => ContactDecision,
  send: (email: EmailAction) => ActionResult,
): ActionResult;
export function sendAsDecided(
  action: EmailAction,
  decide: (key: string, request: ContactRequest) => Maybe<ContactDecision>,
  send: (email: EmailAction) => Maybe<ActionResult>,
): Maybe<ActionResult>;
export function sendAsDecided(
  action: EmailAction,
  decide: (key: string, request: ContactRequest) => Maybe<ContactDecision>,
  send: (email: EmailAction) => Maybe<ActionResult>,
): Maybe<ActionResult> {
  const { contact: question, ...email } = action;
  if (question === undefined) return send(action);
  return then(decide(`${action.key}:contact`, { ...question, to: action.to }), (contact) =>
    contact.kind !== 'send' ? { ok: true, contact } : then(send(email), (sent) => (sent.ok ? { ...sent, contact } : sent)),
  );
}

function then<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** The instant a decision reserves for its contact: none for `skip`. */
export function reservedAt(decision: ContactDecision): number | null {
  return decision.kind === 'send' ? decision.at : decision.kind === 'defer' ? decision.until : null;
}

/**
 * Decisions kept in memory, made synchronously: the simulator's (one per simulation, shared by
 * all its runs) and the tests'. `reserve` is the same decision as an async ledger.
 */
export class MemoryContactLedger implements ContactLedger {
  private readonly decisions = new Map<string, ContactDecision>();
  private readonly reserved = new Map<string, number[]>();

  decide(key: string, request: ContactRequest): ContactDecision {
    const earlier = this.decisions.get(key);
    if (earlier) return earlier;
    const address = normalAddress(request.to);
    const list = this.reserved.get(address) ?? [];
    const decision = decideContact(request, list);
    const at = reservedAt(decision);
    if (at !== null) this.reserved.set(address, [...list, at]);
    this.decisions.set(key, decision);
    return decision;
  }

  async reserve({ key, request }: ContactReservation): Promise<ContactDecision> {
    return this.decide(key, request);
  }
}

/** The ledger file under `dataDir`, used when no store is configured. */
export const CONTACT_LEDGER_FILE = 'contact-reservations.jsonl';

interface FileRow {
  key: string;
  address: string;
  decision: ContactDecision;
  at: number | null;
}

/** This host's ledger: the whole file is read under its lock for each decision (few rows per contact and year). */
export class FileContactLedger implements ContactLedger {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, CONTACT_LEDGER_FILE);
  }

  async reserve({ key, request }: ContactReservation): Promise<ContactDecision> {
    const address = normalAddress(request.to);
    await mkdir(path.dirname(this.file), { recursive: true });
    return withFileLock(this.file, async () => {
      const rows = await readJsonLines<FileRow>(this.file);
      const earlier = rows.find((r) => r.key === key);
      if (earlier) return earlier.decision;
      const from = lookbackFrom(request);
      const reserved = rows.filter((r) => r.address === address && r.at !== null && r.at >= from).map((r) => r.at!);
      const decision = decideContact(request, reserved);
      await appendJsonLine(this.file, { key, address, decision, at: reservedAt(decision) } satisfies FileRow);
      return decision;
    });
  }
}
