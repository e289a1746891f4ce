/**
 * Reads an account JSON file for the CLI and scenario tests. A missing file is a usage error
 * (exit 2); a file that is not JSON or does not fit `account fields` is bad data (exit 1).
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { AccountData } from '../ir/types.js';
import { jsonDepthProblem } from '../util/json-depth.js';
import { validateAccount, type Fields } from './validate.js';

/** The text of an account file; a file that cannot be read is a usage error. */
export async function readAccountText(path: string): Promise<string> {
  return (await readAccountBytes(path)).toString('utf8');
}

/** The bytes of an account file; a file that cannot be read is a usage error. */
export async function readAccountBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UserError(`cannot read account file ${path}: ${reason}`, 'usage');
  }
}

/** The parsed JSON of an account file, not yet validated. */
export async function readAccountJson(path: string): Promise<unknown> {
  const text = await readAccountText(path);
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== null) throw new UserError(`account file ${path} ${tooDeep}`, 'invalid');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`account file ${path} is not valid JSON: ${(e as Error).message}`, 'invalid');
  }
}

/** Validated account data, or a `UserError` with one line per problem, each naming the file. */
export function requireValidAccount(fields: Fields, data: unknown, source: string): AccountData {
  const result = validateAccount(fields, data);
  if (result.ok) return result.value;
  throw new UserError(result.errors.map((e) => `${source}: ${e}`).join('\n'), 'invalid');
}

export async function loadAccountFile(path: string, fields: Fields): Promise<AccountData> {
  return requireValidAccount(fields, await readAccountJson(path), path);
}
