/**
 * "Did you mean" suggestions, for every message that names something unknown: keywords
 * (parser), names and fields (checker), account data, configuration and scenario keys.
 * One rule everywhere: the closest known name by edit distance, when it is close enough to
 * be a plausible typo (at most a third of the name's length, and at least 1).
 */

/** The known name closest to `name`; ties go to the alphabetically first, so output is stable. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate, bestDistance);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** A hint "did you mean `x`?", or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const match = closestName(name, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

/** `; did you mean `x`?` appended to a one-line message, or nothing when no known name is close. */
export function didYouMeanSuffix(name: string, candidates: Iterable<string>): string {
  const hint = didYouMean(name, candidates);
  return hint === undefined ? '' : `; ${hint}`;
}

/**
 * Damerau (optimal string alignment) distance, so a swapped pair of letters (`emial`) counts
 * as one typo; gives up early once it exceeds `cap`.
 */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
