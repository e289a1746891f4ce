/** Working hours and send windows run forwards within one day. */
import type { TimeLit } from '../../language/ast.js';
import type { Accept, CheckRegistry } from '../registry.js';

export const timeRangeChecks: CheckRegistry = {
  calendar: [
    (node, accept) => {
      for (const item of node.items)
        if (item.kind === 'workingHours') checkRange(item.from, item.to, 'PB2041', 'working hours must end later than they start', accept);
    },
  ],
  header: [
    (node, accept) => {
      if (node.kind === 'sendWindow') checkRange(node.from, node.to, 'PB2042', 'the send window must end later than it starts', accept);
    },
  ],
};

/** `HH:MM` strings compare in clock order; the parser has already rejected invalid times. */
function checkRange(from: TimeLit, to: TimeLit, code: 'PB2041' | 'PB2042', message: string, accept: Accept): void {
  if (from.value < to.value) return;
  accept(code, { file: from.span.file, start: from.span.start, end: to.span.end }, message, {
    hint: 'ranges cannot cross midnight',
  });
}
