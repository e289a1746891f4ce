import { describe, expect, it } from 'vitest';
import { createCheckRegistry } from '../../src/check/checks/index.js';
import { mergeRegistries, type CheckRegistry } from '../../src/check/registry.js';
import { buildSymbols } from '../../src/check/symbols.js';
import { runChecks } from '../../src/check/walk.js';
import { buildWorkspace } from '../../src/workspace/build.js';
import { FIELDS, located } from './helpers.js';

const PLAYBOOK = `playbook onboarding
  trigger manual
  note "first"
  notify account.csm "second {account.nmae}"
`;

function run(registry: CheckRegistry): string[] {
  const source = (relPath: string, text: string) => ({ path: `ws/${relPath}`, relPath, text });
  const workspace = buildWorkspace('ws', [source('fields.playbook', FIELDS), source('main.playbook', PLAYBOOK)], []);
  return located(runChecks(buildSymbols(workspace), registry).diagnostics);
}

describe('the check registry', () => {
  // A planted bug: no real check is known to throw, and a golden case needs a real one.
  const planted: CheckRegistry = {
    step: [
      (node) => {
        if (node.kind === 'note') throw new TypeError("Cannot read properties of undefined (reading 'kind')");
      },
      (node, accept) => accept('PB3001', node.span, `checked ${node.kind}`),
    ],
  };

  it('reports a check that throws as one internal error at the node it was checking', () => {
    const diagnostics = run(mergeRegistries({ planted }));
    expect(diagnostics).toEqual([
      "PB9001@ws/main.playbook:3:3 internal error in check `planted/step#1`: Cannot read properties of undefined (reading 'kind'); please report it",
      'PB3001@ws/main.playbook:3:3 checked note',
      'PB3001@ws/main.playbook:4:3 checked notify',
    ]);
  });

  it('keeps running the other checks, its own on later nodes and every other registry', () => {
    const diagnostics = run(mergeRegistries({ planted, all: createCheckRegistry() }));
    expect(diagnostics.filter((d) => d.startsWith('PB9001'))).toHaveLength(1);
    expect(diagnostics.some((d) => d.startsWith('PB2010@ws/main.playbook:4:'))).toBe(true);
  });

  it('gives an internal error the error severity', () => {
    const workspace = buildWorkspace('ws', [{ path: 'ws/main.playbook', relPath: 'main.playbook', text: PLAYBOOK }], []);
    const { diagnostics } = runChecks(buildSymbols(workspace), mergeRegistries({ planted }));
    expect(diagnostics.find((d) => d.code === 'PB9001')?.severity).toBe('error');
  });
});
