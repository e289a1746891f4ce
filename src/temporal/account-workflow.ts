/** The account entity workflow (see account-contract.ts). Placeholder until implemented. */
import type { AccountWorkflowInput } from './account-contract.js';

export async function account(input: AccountWorkflowInput): Promise<void> {
  throw new Error(`account entity for ${input.accountId} is not implemented yet`);
}
