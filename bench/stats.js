// Medians with their spread, and ratios taken pair by pair (same repetition, same machine state).

/** `{ median, min, max, n }` of the finite values (NaN-filled when there are none). */
export function summarize(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n };
  const middle = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], n };
}

/** For each repetition present in both, `pick(a) / pick(b)`. */
export function pairRatios(runsA, runsB, pick) {
  const byRep = new Map(runsB.map((run) => [run.rep, run]));
  return runsA.flatMap((run) => {
    const other = byRep.get(run.rep);
    return other === undefined ? [] : [pick(run) / pick(other)];
  });
}

/** Rotates `items` by `by` places, so no tool always runs first (or right after another). */
export function rotate(items, by) {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
