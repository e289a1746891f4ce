/**
 * The token store: one JSON file (`api.tokensFile`) of token records, each with the SHA-256
 * of its token and never the token itself. Writes replace the file atomically (temporary
 * file, then rename), so a running API reads either the old or the new file, never half of
 * one, and writers hold the file's lock (`<file>.lock`) from reading to replacing, so
 * concurrent `tokens create` and `tokens revoke` lose nothing and bring nothing back. The
 * API re-reads it when it changes, so `playbook tokens revoke` takes effect at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { UserError } from '../../errors.js';
import { FileLockBusy, withFileLock } from '../../util/file-lock.js';
import { ROLES } from '../roles.js';
import { hashToken } from './secret.js';

const tokenRecordSchema = z.strictObject({
  name: z.string().min(1),
  role: z.enum(ROLES),
  /** csm (and optionally csops): the person's email, compared with task assignees. */
  user: z.string().min(1).optional(),
  /** integration: the name of its entry in `api.integrations` (its signing secret). */
  integration: z.string().min(1).optional(),
  /** csm: account ids outside its book of business (see book.ts) that it may see and act on too. */
  grants: z.array(z.string().min(1)).optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** UTC ISO-8601. */
  createdAt: z.string(),
});

const storeFileSchema = z.strictObject({ version: z.literal(1), tokens: z.array(tokenRecordSchema) });

export type TokenRecord = z.infer<typeof tokenRecordSchema>;
/** A token record without its hash: who is calling. */
export type Principal = Omit<TokenRecord, 'hash'>;

export interface TokenLookup {
  /** The principal the token belongs to, or null for an unknown (or revoked) token. */
  lookup(token: string): Promise<Principal | null>;
}

export class FileTokenStore implements TokenLookup {
  private cache: { stamp: string; byHash: Map<string, TokenRecord> } | null = null;

  constructor(readonly file: string) {}

  async list(): Promise<TokenRecord[]> {
    return (await this.read()) ?? [];
  }

  /** Adds a record; a name already in use is a conflict. */
  async add(record: TokenRecord): Promise<void> {
    await this.locked(async () => {
      const records = await this.list();
      if (records.some((r) => r.name === record.name)) {
        throw new UserError(`a token named ${record.name} already exists: revoke it first or choose another name`, 'conflict');
      }
      await this.write([...records, record]);
    });
  }

  /** Removes the record named `name`; an unknown name is a user error. */
  revoke(name: string): Promise<TokenRecord> {
    return this.locked(async () => {
      const records = await this.list();
      const found = records.find((r) => r.name === name);
      if (found === undefined) throw new UserError(`no token named ${name} in ${this.file}`, 'notFound');
      await this.write(records.filter((r) => r !== found));
      return found;
    });
  }

  async lookup(token: string): Promise<Principal | null> {
    const record = (await this.index()).get(hashToken(token));
    if (record === undefined) return null;
    const { hash: _hash, ...principal } = record;
    return principal;
  }

  /** Records by hash, re-read whenever the file's modification time or size changes. */
  private async index(): Promise<Map<string, TokenRecord>> {
    const stamp = await this.stamp();
    if (this.cache?.stamp !== stamp) {
      const records = stamp === 'missing' ? [] : ((await this.read()) ?? []);
      this.cache = { stamp, byHash: new Map(records.map((r) => [r.hash, r])) };
    }
    return this.cache.byHash;
  }

  private async stamp(): Promise<string> {
    try {
      const s = await stat(this.file);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw e;
    }
  }

  /** The records, or null when the file does not exist. */
  private async read(): Promise<TokenRecord[] | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new UserError(`cannot read the token store ${this.file}: ${(e as Error).message}`, 'invalid');
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new UserError(`the token store ${this.file} is not valid JSON`, 'invalid');
    }
    const parsed = storeFileSchema.safeParse(data);
    if (!parsed.success)
      throw new UserError(`the token store ${this.file} is malformed at ${parsed.error.issues[0]!.path.join('.') || 'its top level'}`, 'invalid');
    return parsed.data.tokens;
  }

  /** Runs a read-modify-write holding the file's lock. */
  private async locked<T>(change: () => Promise<T>): Promise<T> {
    await mkdir(path.dirname(this.file), { recursive: true });
    try {
      return await withFileLock(this.file, change);
    } catch (e) {
      if (e instanceof FileLockBusy)
        throw new UserError(
          `the token store ${this.file} is locked by another process (${e.lock}); try again, or remove the lock file if no playbook command is running`,
          'invalid',
        );
      throw e;
    }
  }

  private async write(tokens: TokenRecord[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.file);
    } catch (e) {
      await rm(temporary, { force: true });
      throw e;
    }
  }
}
