/**
 * A csm token's book of business: the accounts whose `user` fields (per the deployed
 * `account fields`: csm, csm_manager, ...) name the token's user, plus the accounts the token
 * was granted (`tokens create --grant-account <id>`). A csm reads, starts, sends events to,
 * lists and completes tasks of its book only; everything else answers exactly as if it did
 * not exist (404, left out of lists), so a csm cannot learn which other accounts there are.
 * Other roles have no book: they are not scoped.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import type { Fields } from '../accounts/validate.js';
import type { AccountData } from '../ir/types.js';
import type { BookScope } from '../store/account-reads.js';
import { mapLimit } from '../util/map-limit.js';
import { getAccount } from '../temporal/account-client.js';
import { getDeployed } from '../temporal/registry-client.js';
import { ApiError } from './errors.js';
import type { Principal } from './tokens/store.js';

/** Account lookups in flight at once when a list is narrowed to a book. */
const LOOKUP_CONCURRENCY = 8;

/** Whether `data` is in the book of `principal` (a csm), given the deployed fields. Pure. */
export function inBook(principal: Principal, fields: Fields, data: AccountData): boolean {
  if (principal.grants?.includes(data.id)) return true;
  const user = principal.user?.toLowerCase();
  if (user === undefined) return false;
  return Object.entries(fields).some(([field, type]) => type.type === 'user' && typeof data[field] === 'string' && data[field].toLowerCase() === user);
}

/** The book of one request's caller; null for the roles that are not scoped. Caches per request. */
export function bookOf(client: Client, principal: Principal): Book | null {
  return principal.role === 'csm' ? new Book(client, principal) : null;
}

export class Book {
  private fields: Promise<Fields> | null = null;
  private readonly accounts = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: Client,
    private readonly principal: Principal,
  ) {}

  /** The book as the store's account reads narrow to it. */
  async scope(): Promise<BookScope> {
    const fields = await this.deployedFields();
    return {
      user: this.principal.user?.toLowerCase() ?? null,
      userFields: Object.entries(fields).flatMap(([field, type]) => (type.type === 'user' ? [field] : [])),
      grants: this.principal.grants ?? [],
    };
  }

  /** Whether the account (read by the caller already) is in the book. */
  async holds(data: AccountData): Promise<boolean> {
    return inBook(this.principal, await this.deployedFields(), data);
  }

  /** Throws the 404 `message` (the one a missing account or run gets) unless `accountId` is in the book. */
  async require(accountId: string, message: string): Promise<void> {
    if (!(await this.has(accountId))) throw new ApiError(404, 'not_found', message);
  }

  /** The items whose account is in the book, in order. */
  async only<T>(items: readonly T[], accountOf: (item: T) => string | null): Promise<T[]> {
    const shown = await mapLimit(items, LOOKUP_CONCURRENCY, (item) => {
      const accountId = accountOf(item);
      return accountId === null ? Promise.resolve(false) : this.has(accountId);
    });
    return items.filter((_, i) => shown[i]);
  }

  /** Whether account `accountId` is in the book; an unknown account is not. */
  has(accountId: string): Promise<boolean> {
    let known = this.accounts.get(accountId);
    if (known === undefined) {
      known = this.lookup(accountId);
      this.accounts.set(accountId, known);
    }
    return known;
  }

  private async lookup(accountId: string): Promise<boolean> {
    if (this.principal.grants?.includes(accountId)) return true;
    try {
      return await this.holds((await getAccount(this.client, accountId)).data);
    } catch (e) {
      if (e instanceof UserError && e.kind === 'notFound') return false;
      throw e;
    }
  }

  private deployedFields(): Promise<Fields> {
    this.fields ??= getDeployed(this.client).then((deployed) => deployed.fields);
    return this.fields;
  }
}
