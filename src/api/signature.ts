/**
 * Signed requests from integrations: `Playbook-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256(secret, "<t>.<raw body>"). A request is refused when the signature
 * does not match (compared in constant time), when `t` is more than `SIGNATURE_TOLERANCE_S`
 * from now, or when the same signature was already accepted (a replay within the window).
 * Several `v1=` values may be given (e.g. while a secret is rotated); one must match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/connect.js';
import { ApiError } from './errors.js';

export const SIGNATURE_HEADER = 'playbook-signature';
export const SIGNATURE_TOLERANCE_S = 300;

/** The hex signature of `body` sent at `t` (unix seconds): what an integration computes. */
export function signBody(secret: string, t: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The header value an integration sends. */
export function signatureHeader(secret: string, t: number, body: Buffer | string): string {
  return `t=${t},v1=${signBody(secret, t, body)}`;
}

interface ParsedSignature {
  t: number;
  v1: string[];
}

function parseHeader(header: string): ParsedSignature | null {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      v1.push(value.toLowerCase());
    }
  }
  return t === undefined || v1.length === 0 ? null : { t, v1 };
}

/** Where accepted signatures are remembered; `accept` records a key and is false when it was seen. */
export interface ReplayMemory {
  accept(key: string, nowS: number): boolean | Promise<boolean>;
}

/** How long an accepted signature is remembered: after that its `t` fails the time check. */
const REMEMBERED_S = 2 * SIGNATURE_TOLERANCE_S;

/**
 * Signatures accepted recently, so each is accepted once. Entries are kept for twice the
 * tolerance after acceptance (a signature accepted now stays valid at most that long) and
 * dropped oldest first; the set is bounded, and per process: API replicas do not share it.
 */
export class ReplayGuard implements ReplayMemory {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Records `key`; false when it was already seen and has not expired. */
  accept(key: string, nowS: number): boolean {
    for (const [k, expires] of this.seen) {
      if (expires >= nowS) break;
      this.seen.delete(k);
    }
    const expires = this.seen.get(key);
    if (expires !== undefined && expires >= nowS) return false;
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, nowS + REMEMBERED_S);
    return true;
  }
}

/**
 * Accepted signatures as rows of the store (`signature_replays`), so every API process that
 * shares the store, on any host, accepts each signature once between them: the insert of an
 * absent row accepts, a present one refuses. Rows past their expiry are deleted, at most once
 * a minute per process.
 */
export class StoreReplayGuard implements ReplayMemory {
  private prunedAtS = Number.NEGATIVE_INFINITY;

  constructor(private readonly store: Store) {}

  async accept(key: string, nowS: number): Promise<boolean> {
    if (nowS - this.prunedAtS >= 60) {
      this.prunedAtS = nowS;
      await this.store
        .deleteFrom('signature_replays')
        .where('expires_at', '<', new Date(nowS * 1000))
        .execute();
    }
    const inserted = await this.store
      .insertInto('signature_replays')
      .values({ signature: key, expires_at: new Date((nowS + REMEMBERED_S) * 1000) })
      .onConflict((c) => c.column('signature').doNothing())
      .returning('signature')
      .executeTakeFirst();
    return inserted !== undefined;
  }
}

/**
 * Where an API process remembers accepted signatures: the store when one is configured (shared
 * by every process on it), else files beside the token store (shared by the processes of a host).
 */
export function replayMemoryFor(store: Store | null, tokensFile: string): ReplayMemory {
  return store !== null ? new StoreReplayGuard(store) : new DirectoryReplayGuard(path.join(path.dirname(tokensFile), 'signatures'));
}

/**
 * Accepted signatures as files of one folder, `<t>.<hex>`, so the API processes of a host
 * (or of hosts sharing the folder) accept each signature once between them: the file is
 * created exclusively, and only the first creator accepts. Files whose `t` is older than
 * twice the tolerance are deleted, at most once a minute.
 */
export class DirectoryReplayGuard implements ReplayMemory {
  private prunedAtS = Number.NEGATIVE_INFINITY;

  constructor(readonly dir: string) {}

  async accept(key: string, nowS: number): Promise<boolean> {
    if (nowS - this.prunedAtS >= 60) await this.prune(nowS);
    const file = path.join(this.dir, key);
    try {
      await writeFile(file, '', { flag: 'wx', mode: 0o600 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'ENOENT') throw e;
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      return this.accept(key, nowS);
    }
    return true;
  }

  private async prune(nowS: number): Promise<void> {
    this.prunedAtS = nowS;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const expired = names.filter((name) => Number(name.split('.')[0]) + REMEMBERED_S < nowS);
    await Promise.all(expired.map((name) => rm(path.join(this.dir, name), { force: true })));
  }
}

/** Rejects with a 401 `ApiError` unless `header` signs `body` with `secret` now, for the first time. */
export async function verifySignature(header: string | undefined, body: Buffer, secret: string, nowMs: number, guard: ReplayMemory): Promise<void> {
  if (header === undefined || header === '') {
    throw new ApiError(
      401,
      'signature_required',
      'integration requests must be signed: send a Playbook-Signature header (t=<unix seconds>,v1=<hex HMAC-SHA256>)',
    );
  }
  const parsed = parseHeader(header);
  if (parsed === null) throw new ApiError(401, 'bad_signature', 'the Playbook-Signature header must be t=<unix seconds>,v1=<64 hex digits>');
  const nowS = Math.floor(nowMs / 1000);
  if (Math.abs(nowS - parsed.t) > SIGNATURE_TOLERANCE_S) {
    throw new ApiError(401, 'signature_expired', `the signature's timestamp is more than ${SIGNATURE_TOLERANCE_S} seconds from the server's clock`);
  }
  const expected = Buffer.from(signBody(secret, parsed.t, body), 'hex');
  const match = parsed.v1.find((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  if (match === undefined)
    throw new ApiError(401, 'bad_signature', 'the signature does not match the body (HMAC-SHA256 of "<t>.<raw body>" with the integration secret)');
  if (!(await guard.accept(`${parsed.t}.${match}`, nowS)))
    throw new ApiError(401, 'signature_replayed', 'this signature was already used: sign every request anew');
}
