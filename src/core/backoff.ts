/** Capped exponential backoff with full jitter in [50%, 100%] of the step, so clients do not retry in lockstep. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 8000, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(step * (0.5 + random() / 2));
}
