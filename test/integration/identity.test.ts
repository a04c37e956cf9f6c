// Identity (GET /api/me) and the cookie jar against the real server. 2.x identifies a
// token-authenticated client by a `username-<host>-<port>` cookie it sets on answers to a client
// that lacks it; 1.x has no identity route but sets a login cookie of the same name.
import { describe, expect, inject, it } from 'vitest';
import { JupyterClient, NotFoundError, PermissionDeniedError, type APIError } from 'jupyter-sdk';
import { cookieJarOf } from '../../src/core/cookie-jar.js';

const { url, token, major } = inject('jupyter');
const cookieName = `username-127-0-0-1-${new URL(url).port}`;

describe(`identity and cookies on Jupyter Server ${major}.x`, () => {
  it('me(): 2.x gives a generated identity that one client keeps across calls, errors included; 1.x has no identity route', async () => {
    const jupyter = new JupyterClient({ baseUrl: url, token });
    if (major === 1) {
      const err = (await jupyter.me().catch((e: unknown) => e)) as NotFoundError;
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.message).toBe('404 Not Found');
      expect(err.url).toBe(`${url}/api/me`);
      return;
    }
    const first = await jupyter.me();
    expect(first.identity).toMatchObject({ username: expect.stringMatching(/^[0-9a-f]{32}$/), name: expect.stringMatching(/^Anonymous /) });
    await expect(jupyter.contents.get('no-such-file-for-identity.txt')).rejects.toBeInstanceOf(NotFoundError);
    await jupyter.status();
    expect((await jupyter.me({ timeout: 10_000 })).identity).toEqual(first.identity);
    // Another client is another identity: the jar belongs to one client.
    expect((await new JupyterClient({ baseUrl: url, token }).me()).identity.username).not.toBe(first.identity.username);
  });

  it('me({ permissions }) sends them JSON-encoded: 2.x answers with those granted, 1.x with 404', async () => {
    const jupyter = new JupyterClient({ baseUrl: url, token });
    const asked = { contents: ['read', 'write'], kernels: ['execute'], terminals: ['read'] };
    if (major === 1) {
      const err = (await jupyter.me({ permissions: asked }, { timeout: 10_000 }).catch((e: unknown) => e)) as NotFoundError;
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.url).toBe(`${url}/api/me?permissions=${encodeURIComponent(JSON.stringify(asked))}`);
      return;
    }
    const me = await jupyter.me({ permissions: asked }, { timeout: 10_000 });
    // A token user may do everything: every asked action is granted, and nothing asked is not listed.
    expect(me.permissions).toMatchObject(asked);
    expect((await jupyter.me()).permissions).not.toHaveProperty('contents');
  });

  it("keeps the server's cookie, which alone authenticates, and shows it in no error", async () => {
    const jupyter = new JupyterClient({ baseUrl: url, token });
    const err = (await jupyter.kernels.get('00000000-0000-0000-0000-000000000000').catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.headers['set-cookie']).toBe('***');
    const cookie = cookieJarOf(jupyter).header(`${url}/api/status`)!;
    expect(cookie).toMatch(new RegExp(`^${cookieName}=`));
    const text = JSON.stringify(err) + String(err.stack) + err.message;
    for (const value of cookieJarOf(jupyter).values()) expect(text).not.toContain(value);

    const bare = await fetch(`${url}/api/status`, { headers: { cookie } });
    expect(bare.status).toBe(200);
  });

  it('a second client with a wrong token is refused, whatever the first client holds', async () => {
    const good = new JupyterClient({ baseUrl: url, token });
    await good.status();
    expect(cookieJarOf(good).header(`${url}/api/status`)).toBeDefined();
    const wrong = new JupyterClient({ baseUrl: url, token: 'not-the-token' });
    await expect(wrong.status()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(wrong.kernels.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(cookieJarOf(wrong).header(`${url}/api/status`)).toBeUndefined();
    await expect(good.status()).resolves.toMatchObject({ kernels: expect.any(Number) });
  });
});
