import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatePlaybook } from '../../bench/generate.js';
import { checkWorkspace } from '../../src/check/check.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import { buildWorkspace } from '../../src/workspace/build.js';

describe('the generated benchmark playbook', () => {
  const generated = generatePlaybook(400);

  it('has at least the lines asked for and checks with only the warning of a workspace without `events`', () => {
    expect(generated.lines).toBeGreaterThanOrEqual(400);
    expect(generated.source.split('\n').length - 1).toBe(generated.lines);
    const workspace = buildWorkspace(
      'bench',
      [{ path: 'bench/generated.playbook', relPath: 'generated.playbook', text: generated.source }],
      generated.templates.map(({ name, text }) => ({ path: `bench/templates/${name}.md`, relPath: `templates/${name}.md`, text })),
    );
    const { diagnostics, model } = checkWorkspace(workspace);
    // A v1 workspace: its events are not declared, which is one warning and nothing else.
    expect(diagnostics.map((d) => d.code)).toEqual(['PB3010']);
    const stages = lowerPlaybook(model, 'generated').playbooks.generated!.body;
    expect(stages.every((s) => s.kind === 'stage')).toBe(true);
    expect(stages.length).toBe(parse(generated.yaml).playbooks[0].stages.length);
  });
});
