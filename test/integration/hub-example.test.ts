// examples/hub.ts and examples/hub-run-notebooks.ts run for real (tsx, as `npm run example`
// does) against a JupyterHub of their own, so README's hub snippets, which live in those files,
// are known to work.
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

describe('examples/hub-run-notebooks.ts', () => {
  const script = (env: Record<string, string>) =>
    run(`${repo}node_modules/.bin/tsx`, ['--tsconfig', 'examples/tsconfig.json', 'examples/hub-run-notebooks.ts'], {
      cwd: repo,
      env: { ...process.env, ...env },
      timeout: 150_000,
    });

  it('runs four notebooks over two named servers, by hand and with startNamedServers, and leaves no server behind', async () => {
    const { stdout, stderr } = await script({ HUB_URL: hub.url, HUB_TOKEN: hub.adminToken, HUB_USER: 'example-runner' });
    const lines = stdout.trim().split('\n');
    const byHand = lines.filter((l) => l.startsWith('by hand on '));
    expect(byHand.map((l) => l.replace(/^by hand on by-hand-[12]: /, ''))).toEqual([
      'north 2026: 1340 units',
      'south 2026: 1340 units',
      'east 2026: 1340 units',
      'west 2026: 1340 units',
    ]);
    expect(new Set(byHand.map((l) => l.split(' ')[3]))).toEqual(new Set(['by-hand-1:', 'by-hand-2:']));
    expect(lines.filter((l) => / ready \(/.test(l)).sort()).toEqual([
      expect.stringMatching(/^run-\w{6}-1 ready \(Server ready at \/user\/example-runner\/run-\w{6}-1\/\)$/),
      expect.stringMatching(/^run-\w{6}-2 ready \(Server ready at \/user\/example-runner\/run-\w{6}-2\/\)$/),
    ]);
    expect(lines.filter((l) => l.startsWith('pool: '))).toEqual(['north', 'south', 'east', 'west'].map((r) => `pool: ${r} 2026: 1340 units`));
    expect(lines.at(-1)).toBe('named servers left: 0');
    expect(stdout + stderr).not.toContain(hub.adminToken);
  });
});
