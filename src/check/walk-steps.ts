import type { IfStep, Step } from '../language/ast.js';
import type { Span } from '../language/span.js';

export interface BranchChoice {
  ifStep: IfStep;
  /** Index into `branches`; `branches.length` for `else`. */
  branch: number;
}

/** A list of steps nested in a step: a stage, an `if` branch, a rung, `on timeout`, a loop. */
export interface ChildBlock {
  steps: Step[];
  /** The line that opens the block. */
  span: Span;
  /** Set for the branches of an `if`. */
  branch?: BranchChoice;
}

/** The step lists directly inside `step`, in source order. */
export function childBlocks(step: Step): ChildBlock[] {
  switch (step.kind) {
    case 'stage':
    case 'repeat':
      return [{ steps: step.body, span: step.span }];
    case 'if': {
      const blocks: ChildBlock[] = step.branches.map((b, i) => ({ steps: b.body, span: b.span, branch: { ifStep: step, branch: i } }));
      if (step.else) blocks.push({ steps: step.else.body, span: step.else.span, branch: { ifStep: step, branch: step.branches.length } });
      return blocks;
    }
    case 'waitFor': {
      const blocks: ChildBlock[] = step.rungs.map((r) => ({ steps: r.body, span: r.span }));
      if (step.onTimeout) blocks.push({ steps: step.onTimeout.body, span: step.onTimeout.span });
      return blocks;
    }
    default:
      return [];
  }
}
