import { didYouMean } from '../check/suggest.js';

/** `; did you mean `x`?` appended to a one-line message, or nothing when no known name is close. */
export function didYouMeanSuffix(name: string, known: Iterable<string>): string {
  const hint = didYouMean(name, known);
  return hint === undefined ? '' : `; ${hint}`;
}
