// The browser build's cookie jar (src/core/cookie-jar-browser.ts, compiled as core/cookie-jar.js in
// dist/browser): it keeps nothing and sends nothing, and leaves the fetch the client was given as it is.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JupyterClient } from 'jupyter-sdk';
import { CookieJar, cookieJarOf } from '../../src/core/cookie-jar-browser.js';

vi.mock('../../src/core/cookie-jar.js', () => import('../../src/core/cookie-jar-browser.js'));

const BASE = 'http://127.0.0.1:8888';

/** A fetch that sets a cookie on every answer and records the Cookie header of each request. */
function server() {
  const sent: (string | null)[] = [];
  const fetch = vi.fn(async (_input: string | URL | Request, init?: RequestInit) => {
    sent.push(new Headers(init?.headers).get('cookie'));
    return new Response('{"version": "2.21.1"}', { headers: { 'content-type': 'application/json', 'set-cookie': 'username-x=identity; Path=/' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

afterEach(() => vi.unstubAllGlobals());

describe('the browser cookie jar', () => {
  it('hands the given fetch through untouched, and stores nothing from an answer', async () => {
    const s = server();
    const jar = new CookieJar();
    expect(jar.wrap(s.fetch)).toBe(s.fetch);
    jar.store(`${BASE}/`, new Headers({ 'set-cookie': 'k=v; Path=/' }));
    expect(jar.header(`${BASE}/api`)).toBeUndefined();
    expect(jar.values()).toEqual([]);
  });

  it('looks the global fetch up at call time when none is given', async () => {
    const jar = new CookieJar();
    const wrapped = jar.wrap();
    const s = server();
    vi.stubGlobal('fetch', s.fetch);
    await wrapped(`${BASE}/api`);
    expect(s.fetch).toHaveBeenCalledWith(`${BASE}/api`, undefined);
  });

  it('a JupyterClient on it sends no Cookie header of its own, whatever the server set', async () => {
    const s = server();
    const jupyter = new JupyterClient({ baseUrl: BASE, token: 't', fetch: s.fetch });
    expect(await jupyter.version()).toEqual({ version: '2.21.1' });
    expect(await jupyter.version()).toEqual({ version: '2.21.1' });
    expect(s.sent).toEqual([null, null]);
    expect(cookieJarOf(jupyter).values()).toEqual([]);
  });
});
