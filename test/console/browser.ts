/**
 * Debian's Chromium driven by playwright-core, for the console's end-to-end tests. It is found
 * at `CHROMIUM_PATH` or its usual paths; when it is missing the tests fail and say how to
 * install it (never skip). Each page's Content-Security-Policy violations are collected, and
 * axe-core is run in the page for the accessibility check.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_INSTALL_HINT, chromiumCandidates, findChromium } from './chromium-path.js';

export const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'console');

/** Missing Chromium fails the tests with how to install it; they never skip. */
export function chromiumPath(): string {
  const found = findChromium();
  if (found === null)
    throw new Error(`Chromium not found at ${chromiumCandidates().join(', ')}: the console's browser tests need it; ${CHROMIUM_INSTALL_HINT}.`);
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // As root (CI containers) Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** Messages of CSP violations the page reported, appended as they come. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page (evaluated through the debugger, which the page's CSP does not govern). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this project compiles without the DOM's types.
  const violations = (await page.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)),
  })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
