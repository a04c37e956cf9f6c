// examples/hub.ts runs for real (tsx, as `npm run example` does) against a JupyterHub of its
// own, so README's hub snippets, which live in that file, are known to work.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub-server.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.stop();
});

const example = (env: Record<string, string>) =>
  run(`${repo}node_modules/.bin/tsx`, ['--tsconfig', 'examples/tsconfig.json', 'examples/hub.ts'], {
    cwd: repo,
    env: { ...process.env, ...env },
    timeout: 150_000,
  });

describe('examples/hub.ts', () => {
  it('starts a user server with progress, runs code through the proxy, scopes a token and stops it', async () => {
    const { stdout, stderr } = await example({ HUB_URL: hub.url, HUB_TOKEN: hub.adminToken });
    expect(stdout).toMatch(/^hub 3\.0\.0 as sdk-admin$/m);
    expect(stdout).toMatch(/^\[#{20}\] 100% Server ready at \/user\/example-\w+\/$/m);
    expect(stdout).toMatch(new RegExp(`^ready at ${hub.url}/user/example-\\w+/$`, 'm'));
    expect(stdout).toMatch(/^run: ok \["example-\w+\\n",\{"text\/plain":"42"\}\]$/m);
    expect(stdout).toContain('user token sees 0 kernels');
    expect(stdout).toContain('user token may not list users: 403 Action is not authorized with current scopes; requires any of [list:users]');
    expect(stdout).toContain('stopped; servers: [{"name":"","stopped":true}]');
    expect(stdout + stderr).not.toContain(hub.adminToken);
  });

  it('names the variables it needs when they are not set', async () => {
    const err = (await example({ HUB_URL: '', HUB_TOKEN: '' }).catch((e: unknown) => e)) as { code?: number; stderr?: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/HUB_URL .* HUB_TOKEN/);
  });
});
