import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '../../src/kernel/messages.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is a random v4 UUID', () => {
    expect(uuid()).toMatch(V4);
    expect(uuid()).not.toBe(uuid());
  });

  it('makes a v4 UUID from getRandomValues where crypto.randomUUID is missing (a browser page over plain http)', () => {
    const real = globalThis.crypto;
    let fill = 0;
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => a.fill(fill) });
    fill = 0;
    expect(uuid()).toBe('00000000-0000-4000-8000-000000000000');
    fill = 0xff;
    expect(uuid()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => real.getRandomValues(a) });
    const ids = Array.from({ length: 50 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(50);
  });
});
