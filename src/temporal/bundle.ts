/**
 * Bundling the workflow code for a worker. Webpack starts at `workflows.ts` (tests and
 * scripts run from sources) or the compiled `dist/temporal/workflows.js` (the production
 * worker); the SDK's bundler already maps our `.js` import specifiers to `.ts` sources.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The workflow entry next to this module: `workflows.ts` in sources, `workflows.js` once compiled. */
export function workflowsPath(): string {
  const path = fileURLToPath(new URL(`./workflows${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`the workflow entry ${path} does not exist; build the project first (npm run build)`);
  return path;
}

/** Modules that must never reach the workflow bundle: not deterministic, or far too big for it. */
export const FORBIDDEN_IN_BUNDLE = ['chevrotain', 'zod', 'date-holidays', 'pino', 'nodemailer'] as const;

export function bundlePlaybookWorkflows(path: string = workflowsPath()): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path, logger: quietLogger });
}

// Webpack's progress lines are noise in tests and worker logs; warnings and errors still show.
const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
