/** The deployed `account fields`, which every account entering the system is validated against. */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import { getDeployed } from '../temporal/registry-client.js';
import type { Fields } from './validate.js';

/** Nothing deployed yet is a user error: without fields no account can be checked. */
export async function deployedFields(client: Client): Promise<Fields> {
  const deployed = await getDeployed(client);
  if (deployed.generation === 0)
    throw new UserError('nothing is deployed yet: run `playbook deploy` first (accounts are checked against the deployed account fields)', 'invalid');
  return deployed.fields;
}
