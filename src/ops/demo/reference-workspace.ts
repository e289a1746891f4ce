/**
 * What the demo deploys and imports: the reference workspace checked and compiled into a
 * deploy request, as `playbook deploy` does before it registers anything, and its sample
 * accounts (`accounts/*.json`, one account per file) checked against its account fields,
 * which are the fields the deploy registers.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadAccountFile } from '../../accounts/load.js';
import { UserError } from '../../errors.js';
import { operatorName } from '../../deploy/cli-defaults.js';
import { prepareDeployment, type ReadyDeployment } from '../../deploy/prepare.js';
import { renderText } from '../../diagnostics/render.js';
import type { AccountData } from '../../ir/types.js';
import { loadWorkspace } from '../../workspace/load.js';

export interface ReferenceWorkspace {
  deployment: ReadyDeployment;
  accountsDir: string;
  accounts: AccountData[];
}

export async function loadReferenceWorkspace(dir: string): Promise<ReferenceWorkspace> {
  const workspace = await loadWorkspace(dir);
  const deployment = prepareDeployment(workspace, operatorName());
  if (!deployment.ok) {
    const diagnostics = renderText(deployment.diagnostics, workspace.sources, { color: false });
    throw new UserError(`${diagnostics}the demo deploys ${dir}, which has errors`, 'invalid');
  }
  const accountsDir = path.join(dir, 'accounts');
  const files = (await readdir(accountsDir)).filter((name) => name.endsWith('.json')).sort();
  const accounts = await Promise.all(files.map((name) => loadAccountFile(path.join(accountsDir, name), deployment.request.fields)));
  return { deployment, accountsDir, accounts };
}
