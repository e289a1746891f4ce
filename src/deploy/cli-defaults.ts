/** Defaults of `playbook deploy`: where the workspace is and who deploys. */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

/** `playbooks` when that folder exists here, else the current folder. */
export function defaultWorkspaceDir(): string {
  return existsSync('playbooks') ? 'playbooks' : '.';
}

/** `cli:<os user>`, recorded with the deploy. */
export function operatorName(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): fall back to the environment.
    name = process.env.USER ?? process.env.USERNAME;
  }
  return `cli:${name || 'unknown'}`;
}
