// Each module the browser build compiles from a browser source (scripts/browser-variants.mjs) must
// offer what its Node module offers: the same exports, of the same kinds, so that code typed
// against the Node module runs on the browser one. (That dist/browser holds the swapped files is
// checked by scripts/check-browser-build.mjs after the build.)
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROWSER_VARIANTS } from '../../scripts/browser-variants.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const kinds = (mod: Record<string, unknown>) => Object.fromEntries(Object.entries(mod).map(([name, value]) => [name, typeof value]));

describe('browser variants', () => {
  it.each(Object.entries(BROWSER_VARIANTS))('%s: the browser source exports what the Node module does', async (module, source) => {
    expect(existsSync(`${repo}src/${module}.ts`)).toBe(true);
    const node = (await import(`${repo}src/${module}.ts`)) as Record<string, unknown>;
    const browser = (await import(`${repo}${source}`)) as Record<string, unknown>;
    expect(kinds(browser)).toEqual(kinds(node));
  });

  it('the browser CookieJar has every public method of the Node one (its type implements their public surface)', async () => {
    const node = await import('../../src/core/cookie-jar.js');
    const browser = await import('../../src/core/cookie-jar-browser.js');
    const methods = (c: { prototype: object }) => Object.getOwnPropertyNames(c.prototype).filter((m) => m !== 'constructor');
    const publicMethods = ['header', 'store', 'values', 'wrap'];
    expect(methods(node.CookieJar)).toEqual(expect.arrayContaining(publicMethods));
    expect(methods(browser.CookieJar).sort()).toEqual(publicMethods);
  });
});
