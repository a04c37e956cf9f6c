// `jupyter-sdk run --hub` and startNamedServers + runNotebooks against a real JupyterHub 3.0
// (Debian's), started once for this file: named servers started, spread over, stopped and
// removed after a run, after a failure and after Ctrl-C; typed, one-line errors with no token.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { runNotebooks } from 'jupyter-sdk';
import { HubClient, SpawnFailedError, startNamedServers } from 'jupyter-sdk/hub';
import { startTestHub, type TestHub } from '../support/hub-server.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repo (.tmp/ is git-ignored), so the bundle resolves `ws` from node_modules.
const cli = join(repo, '.tmp', `hub-run-test-${randomUUID()}`, 'cli.mjs');
let testHub: TestHub;
let hub: HubClient;
let work: string;

beforeAll(async () => {
  const [started] = await Promise.all([
    startTestHub(),
    build({
      entryPoints: [join(repo, 'src', 'cli', 'index.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    }),
  ]);
  testHub = started;
  hub = new HubClient({ baseUrl: testHub.url, token: testHub.adminToken });
  work = await mkdtemp(join(tmpdir(), 'jupyter-sdk-hub-run-'));
});

afterAll(async () => {
  await testHub?.stop();
  await rm(join(cli, '..'), { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string | undefined> = {}, cwd = work) {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    cwd,
    // Not a terminal: one progress line per event. No token from the developer's shell.
    env: { ...process.env, JUPYTER_URL: undefined, JUPYTER_TOKEN: undefined, JUPYTERHUB_API_TOKEN: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

const run = (args: string[], env: Record<string, string | undefined> = {}, cwd = work) => start(args, env, cwd).done;

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notebook = (...sources: string[]) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      source,
      metadata: i === 0 ? { tags: ['parameters'] } : {},
      outputs: [],
      execution_count: null,
    })),
  });

const readNotebook = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as INotebookContent;
const text = (nb: INotebookContent, i: number) =>
  (nb.cells[i] as ICodeCell).outputs.map((o) => [(o as { text?: string[] }).text ?? []].flat().join('')).join('');

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The user's named servers the hub still knows, stopped ones included. */
async function namedServers(user: string): Promise<string[]> {
  return (await hub.servers.list(user)).map((s) => s.name).filter(Boolean);
}

/** Every single-user server the hub ever spawned has exited. */
async function expectNoServerProcess(): Promise<void> {
  const alive = () => testHub.spawnedPids().filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  const deadline = Date.now() + 10_000;
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(alive()).toEqual([]);
}

// Where the kernel runs: the hub user and the named server, as the hub told the single-user server.
const WHERE = "import os\nprint(os.environ['JUPYTERHUB_USER'], os.environ['JUPYTERHUB_SERVER_NAME'])";

describe('jupyter-sdk run --hub', () => {
  it('spreads notebooks over two named servers of the default user, writes --out-dir, isolates a failure, then stops and removes the servers', async () => {
    const dir = join(work, 'spread');
    await mkdir(dir);
    for (const n of [1, 2, 3, 4]) await writeFile(join(dir, `nb${n}.ipynb`), notebook('n = 0', `print(n * ${n}, region)`, WHERE));
    await writeFile(join(dir, 'bad.ipynb'), notebook('n = 0', 'raise ValueError(n)', "print('never')"));

    const result = await run(
      ['run', 'nb1.ipynb', 'nb2.ipynb', 'bad.ipynb', 'nb3.ipynb', 'nb4.ipynb', '--hub', testHub.url, '--hub-servers', '2', '-p', 'n', '10', '-p', 'region', 'north', '--out-dir', 'out'],
      { JUPYTERHUB_API_TOKEN: testHub.adminToken },
      dir,
    );
    expect(result.status).toBe(1);
    // The admin service's token: the default user, created for the run.
    expect(result.stderr).toMatch(/^hub: created user jupyter-sdk\nhub: starting 2 servers for jupyter-sdk on http:\/\/127\.0\.0\.1:\d+\n/);
    const names = [...new Set([...result.stderr.matchAll(/^hub: (run-[a-z0-9]{6}-[12]): 100% Server ready at \/user\/jupyter-sdk\/\1\/ \(\d+\.\d+ s\)$/gm)].map((m) => m[1]!))].sort();
    expect(names).toHaveLength(2);
    expect(result.stderr).toMatch(/^hub: 2 servers ready in \d+\.\d+ s$/m);

    // Outputs right, each written locally under its own name, each from a server of the run.
    const seen = new Set<string>();
    for (const n of [1, 2, 3, 4]) {
      const out = await readNotebook(join(dir, 'out', `nb${n}.ipynb`));
      expect(out.cells[1]!.metadata.tags).toEqual(['injected-parameters']);
      expect(text(out, 2)).toBe(`${10 * n} north\n`);
      const [user, server] = text(out, 3).trim().split(' ');
      expect(user).toBe('jupyter-sdk');
      expect(names).toContain(server);
      seen.add(server!);
    }
    expect([...seen].sort()).toEqual(names);
    // The failure stays with its notebook: recorded, written as far as it ran, reported.
    const bad = await readNotebook(join(dir, 'out', 'bad.ipynb'));
    expect((bad.cells[2] as ICodeCell).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ValueError', evalue: '10' });
    expect(result.stderr).toContain('bad.ipynb: cells[2] (id c1) raised ValueError: 10; partial output written to out/bad.ipynb');
    const table = result.stdout.slice(result.stdout.indexOf('notebook ')).trimEnd().split('\n');
    expect(table[0]).toMatch(/^notebook +status +server +time +output$/);
    expect(table.slice(1, 6).map((l) => l.split(/ +/).slice(0, 2))).toEqual([
      ['nb1.ipynb', 'ok'],
      ['nb2.ipynb', 'ok'],
      ['bad.ipynb', 'failed'],
      ['nb3.ipynb', 'ok'],
      ['nb4.ipynb', 'ok'],
    ]);
    expect(table.slice(1, 6).map((l) => l.split(/ +/)[2])).toEqual(expect.arrayContaining(names));
    expect(table[6]).toMatch(/^5 notebooks: 4 ok, 1 failed, in /);

    // Stopped and removed: the hub no longer knows them, and their processes are gone.
    expect(result.stderr).toMatch(new RegExp(`^hub: stopping and removing ${names[0]}, ${names[1]}$`, 'm'));
    expect(result.stderr).toMatch(/^hub: removed 2 servers in \d+\.\d+ s\n$/m);
    expect(await namedServers('jupyter-sdk')).toEqual([]);
    await expectNoServerProcess();
    expect(result.stdout + result.stderr).not.toContain(testHub.adminToken);
  });

  it("runs as the token's own user with a user's token from --hub-token, never printing it", async () => {
    await hub.users.create('hr-ana');
    const { token } = await hub.tokens.create('hr-ana', { note: 'hub-run test' });
    await writeFile(join(work, 'where.ipynb'), notebook('pass', WHERE));
    const result = await run(['run', 'where.ipynb', '--hub', testHub.url, '--hub-token', token!, '--out-dir', 'where-out']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^hub: starting 1 server for hr-ana on /);
    expect(result.stderr).not.toContain('created user');
    expect(text(await readNotebook(join(work, 'where-out', 'where.ipynb')), 1)).toMatch(/^hr-ana run-[a-z0-9]{6}-1\n$/);
    expect(result.stdout).toMatch(/^where\.ipynb: ok in \d+\.\d+ s, written to where-out\/where\.ipynb\n$/);
    expect(await namedServers('hr-ana')).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('stops and removes the servers on Ctrl-C (SIGINT) mid-run: exit 130', async () => {
    await writeFile(join(work, 'long.ipynb'), notebook("print('ready')", 'import time\ntime.sleep(120)', "print('never')"));
    await hub.users.create('hr-int');
    const running = start(['run', 'long.ipynb', '--hub', testHub.url, '--hub-user', 'hr-int', '--hub-servers', '2'], { JUPYTERHUB_API_TOKEN: testHub.adminToken });
    await until(() => running.stderr().includes('long.ipynb: cells[0] ok'), 'the first cell');
    // The check below can fail: while the run is on, its servers are there.
    const during = await hub.servers.list('hr-int');
    expect(during.filter((s) => s.name && s.ready).length).toBe(2);
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.status).toBe(130);
    expect(result.stderr).toMatch(/^hub: stopping and removing run-\w+-1, run-\w+-2 \(Ctrl-C again leaves them\)$/m);
    expect(result.stderr).toMatch(/jupyter-sdk: interrupted\n$/);
    expect(await namedServers('hr-int')).toEqual([]);
    await expectNoServerProcess();
  });

  it('stops and removes the servers on Ctrl-C while they start: exit 130', async () => {
    await writeFile(join(work, 'early.ipynb'), notebook('1'));
    const running = start(['run', 'early.ipynb', '--hub', testHub.url, '--hub-user', 'hr-early', '--hub-servers', '2'], { JUPYTERHUB_API_TOKEN: testHub.adminToken });
    await until(() => /^hub: starting 2 servers/m.test(running.stderr()), 'the servers to be asked for');
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.status).toBe(130);
    expect(result.stderr).toMatch(/^hub: interrupted: stopping and removing run-\w+-1, run-\w+-2 once the hub has them \(Ctrl-C again leaves them\)$/m);
    expect(result.stderr).toMatch(/jupyter-sdk: interrupted\n$/);
    expect(result.stdout).toBe('');
    expect(await namedServers('hr-early')).toEqual([]);
    await expectNoServerProcess();
  });

  it('exits 2 with one line and no token when the hub refuses the token or cannot be reached', async () => {
    await writeFile(join(work, 'one.ipynb'), notebook('1'));
    const bad = await run(['run', 'one.ipynb', '--hub', testHub.url, '--hub-token', 'not-a-real-token-4711']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('jupyter-sdk: the hub refused the token (403 Forbidden); check --hub-token or JUPYTERHUB_API_TOKEN\n');
    const fromEnv = await run(['run', 'one.ipynb', '--hub', testHub.url], { JUPYTERHUB_API_TOKEN: 'not-a-real-token-4712' });
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr).toBe(bad.stderr);

    const port = await closedPort();
    const away = await run(['run', 'one.ipynb', '--hub', `http://127.0.0.1:${port}`, '--hub-token', 'not-a-real-token-4713']);
    expect(away.status).toBe(2);
    expect(away.stderr).toBe(`jupyter-sdk: cannot reach the JupyterHub: GET http://127.0.0.1:${port}/hub/api/user failed to connect: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(bad.stderr + fromEnv.stderr + away.stderr).not.toMatch(/not-a-real-token/);
  });

  it("exits 2 when the user's servers refuse a token the hub accepts (no access:servers), and removes them", async () => {
    await hub.users.create('hr-scope');
    const { token } = await hub.tokens.create('hr-scope', { scopes: ['servers!user=hr-scope', 'read:servers!user=hr-scope', 'delete:servers!user=hr-scope'] });
    await writeFile(join(work, 'scope.ipynb'), notebook('1'));
    const result = await run(['run', 'scope.ipynb', '--hub', testHub.url, '--hub-token', token!]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^jupyter-sdk: hr-scope's server "run-\w{6}-1" refused the token \(403 Forbidden\): running notebooks there needs the access:servers scope on hr-scope; check --hub-token or JUPYTERHUB_API_TOKEN\n$/m,
    );
    expect(result.stderr).toMatch(/^hub: removed the server in /m);
    expect(await namedServers('hr-scope')).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('exits 2 naming user and server when a spawn fails, and removes every server it started', async () => {
    await writeFile(join(work, 'two.ipynb'), notebook('1'));
    const result = await run(['run', 'two.ipynb', '--hub', testHub.url, '--hub-user', 'hr-fail', '--hub-servers', '2', '--hub-options', '{"fail": true}'], {
      JUPYTERHUB_API_TOKEN: testHub.adminToken,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^hub: created user hr-fail$/m);
    expect(result.stderr).toMatch(/^jupyter-sdk: hr-fail's server "run-\w{6}-[12]" failed to start: Spawn failed: refused by the test hub \(user_options\.fail\)\n$/m);
    expect(await namedServers('hr-fail')).toEqual([]);
    expect(result.stdout).toBe('');
  });

  it('exits 2 when the servers are not ready within --hub-timeout, once the pending spawns are removed', async () => {
    await writeFile(join(work, 'slow.ipynb'), notebook('1'));
    const result = await run(['run', 'slow.ipynb', '--hub', testHub.url, '--hub-user', 'hr-slow', '--hub-timeout', '0.2'], {
      JUPYTERHUB_API_TOKEN: testHub.adminToken,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jupyter-sdk: hr-slow's server "run-\w{6}-1" was not ready after 200 ms( \(last progress: .*\))?; --hub-timeout S waits longer\n$/m);
    // The spawn went on at the hub after the CLI gave up waiting: it was waited for, then removed.
    expect(await namedServers('hr-slow')).toEqual([]);
    await expectNoServerProcess();
  });
});

describe('startNamedServers + runNotebooks', () => {
  it('starts named servers, runs notebooks spread over their clients, and stop() removes them', async () => {
    await hub.users.create('hr-code');
    const pool = await startNamedServers(hub, 'hr-code', { count: 2, prefix: 'batch' });
    try {
      expect(pool.servers.map((s) => [s.name, s.ready, s.full_url])).toEqual([
        ['batch-1', true, `${testHub.url}/user/hr-code/batch-1/`],
        ['batch-2', true, `${testHub.url}/user/hr-code/batch-2/`],
      ]);
      const nb = JSON.parse(notebook('x = 0', 'print(x * 2)', WHERE)) as INotebookContent;
      const results = await runNotebooks(pool.clients, [1, 2, 3, 4].map((x) => ({ notebook: nb, parameters: { x } })));
      expect(results.map((r) => r.ok && text(r.notebook, 2))).toEqual(['2\n', '4\n', '6\n', '8\n']);
      const ran = results.map((r) => r.ok && text(r.notebook, 3).trim());
      expect(new Set(ran)).toEqual(new Set(['hr-code batch-1', 'hr-code batch-2']));
    } finally {
      await pool.stop();
    }
    expect(await namedServers('hr-code')).toEqual([]);
    await pool.stop(); // a second call is the same stop
  });

  it('removes what it started and throws SpawnFailedError when one fails', async () => {
    await hub.users.create('hr-code-fail');
    const err = await startNamedServers(hub, 'hr-code-fail', { count: 2, options: { fail: true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnFailedError);
    expect(err).toMatchObject({ user: 'hr-code-fail' });
    expect(await namedServers('hr-code-fail')).toEqual([]);
  });
});
