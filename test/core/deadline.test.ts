import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, raceSignal, sleep, waitAtMost } from '../../src/core/deadline.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Deadline', () => {
  it('aborts its signal when the time is up, and says it timed out', async () => {
    const d = new Deadline(100);
    await vi.advanceTimersByTimeAsync(99);
    expect(d.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut).toBe(true);
    expect(d.aborted).toBe(false);
  });

  it("follows the parent signal's abort, and says it was not a timeout", () => {
    const parent = new AbortController();
    const d = new Deadline(100, parent.signal);
    parent.abort(new Error('stop'));
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toEqual(new Error('stop'));
    expect(d.timedOut).toBe(false);
    expect(d.aborted).toBe(true);
  });

  it('starts aborted under a parent that already aborted, with no timer', () => {
    const d = new Deadline(100, AbortSignal.abort());
    expect(d.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer and no parent listener behind once done', async () => {
    const parent = new AbortController();
    const d = new Deadline(100, parent.signal);
    expect(vi.getTimerCount()).toBe(1);
    d.done();
    expect(vi.getTimerCount()).toBe(0);
    parent.abort();
    expect(d.signal.aborted).toBe(false);
  });

  it('rejects a race with the abort reason while the work is still pending', async () => {
    const d = new Deadline(50);
    const outcome = d.race(new Promise(() => undefined)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await outcome).toMatchObject({ name: 'TimeoutError' });
  });

  it('ends early for a reason of its own', () => {
    const d = new Deadline(undefined);
    d.abort('kernel died');
    expect(d.signal.reason).toBe('kernel died');
    expect(d.timedOut).toBe(false);
  });
});

describe('raceSignal', () => {
  it('resolves with the work when the signal does not abort', async () => {
    expect(await raceSignal(Promise.resolve(7), new AbortController().signal)).toBe(7);
    expect(await raceSignal(8, undefined)).toBe(8);
  });
});

describe('sleep', () => {
  it('resolves after the time, and rejects with the reason when the signal aborts first', async () => {
    let slept = false;
    void sleep(100).then(() => (slept = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(slept).toBe(true);

    const ac = new AbortController();
    const cut = sleep(100, ac.signal).catch((e: unknown) => e);
    ac.abort('enough');
    expect(await cut).toBe('enough');
    expect(vi.getTimerCount()).toBe(0);
    expect(await sleep(100, AbortSignal.abort('already')).catch((e: unknown) => e)).toBe('already');
  });
});

describe('waitAtMost', () => {
  it('resolves true when the work settles in time (even by failing), false after the limit, and clears its timer', async () => {
    expect(await waitAtMost(Promise.resolve(), 100)).toBe(true);
    expect(await waitAtMost(Promise.reject(new Error('x')), 100)).toBe(true);
    const late = waitAtMost(new Promise(() => undefined), 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(await late).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
