/**
 * A real JupyterHub for tests, examples and benchmarks: Debian's `jupyterhub` (3.0) on
 * 127.0.0.1 with every port picked free, its database, cookie secret and user homes in a temp
 * dir, DummyAuthenticator, SimpleLocalProcessSpawner running `jupyterhub-singleuser --allow-root`
 * (CI runs as root), named servers allowed, a page limit of 10 so pagination shows, and one admin
 * service token granted through `load_roles` (everything but `admin:auth_state`-style extras:
 * users, servers, groups, tokens, services, hub info, proxy, shutdown). `stop()` ends the hub, its proxy and every
 * single-user server it ever spawned, each by PID.
 *
 * A user server started with the option `{ fail: true }` fails in the hub's pre-spawn hook: the
 * real spawn-failure path, events and all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestHubOptions {
  /** Seconds a user server trusts a token the hub vouched for (`HubAuth.cache_max_age`). @default 2 */
  authCacheMaxAge?: number;
  /** `api_page_default_limit` and `api_page_max_limit`. @default 10 */
  pageLimit?: number;
  /** Receives each line the hub, its proxy and the user servers print (secrets removed). */
  log?: (line: string) => void;
  /** Milliseconds to wait for the hub's API to answer. @default 30000 */
  startTimeout?: number;
}

export interface TestHub {
  /** Public URL (the proxy), e.g. `http://127.0.0.1:41234`; the REST API is under `/hub/api`. */
  url: string;
  /** Token of the `sdk-admin` service: users, servers, groups, tokens, services, hub info. */
  adminToken: string;
  /** Temp dir holding the hub's database, config and the users' homes. */
  stateDir: string;
  /** The hub's process id. */
  pid: number;
  /** PIDs of the single-user servers spawned so far. */
  spawnedPids(): number[];
  /** Stops the hub, its proxy and every single-user server it spawned, and removes the state dir. */
  stop(): Promise<void>;
}

const HUB = '/usr/bin/jupyterhub';
const STOP_GRACE_MS = 5_000;

// The admin token reaches the config through the environment, never a file.
const CONFIG = String.raw`
import json, os
from jupyterhub.spawner import SimpleLocalProcessSpawner

settings = json.loads(os.environ['SDK_TEST_HUB_SETTINGS'])
state = settings['state']

class RecordingSpawner(SimpleLocalProcessSpawner):
    """Writes the PID of every server it starts, so the test harness can stop them all."""
    async def start(self):
        url = await super().start()
        with open(os.path.join(state, 'spawned.pids'), 'a') as f:
            f.write(f'{self.pid}\n')
        return url

def fail_on_request(spawner):
    if (spawner.user_options or {}).get('fail'):
        raise RuntimeError('refused by the test hub (user_options.fail)')

c = get_config()
c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = settings['port']
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = settings['hub_port']
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, 'proxy.pid')
c.JupyterHub.db_url = 'sqlite:///' + os.path.join(state, 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(state, 'cookie_secret')
c.JupyterHub.pid_file = os.path.join(state, 'hub.pid')
c.JupyterHub.authenticator_class = 'dummy'
c.JupyterHub.spawner_class = RecordingSpawner
c.JupyterHub.allow_named_servers = True
c.JupyterHub.api_page_default_limit = settings['page_limit']
c.JupyterHub.api_page_max_limit = settings['page_limit']
c.Spawner.cmd = ['jupyterhub-singleuser', '--allow-root']
c.Spawner.args = [f"--HubAuth.cache_max_age={settings['cache_max_age']}"]
c.Spawner.ip = '127.0.0.1'
c.Spawner.pre_spawn_hook = fail_on_request
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, 'home', '{username}')
c.JupyterHub.services = [{'name': 'sdk-admin', 'api_token': os.environ['SDK_TEST_HUB_ADMIN_TOKEN']}]
c.JupyterHub.load_roles = [{
    'name': 'sdk-admin',
    'scopes': ['admin:users', 'admin:servers', 'admin:groups', 'tokens', 'read:hub', 'list:services',
               'read:services', 'access:servers', 'read:roles', 'proxy', 'shutdown'],
    'services': ['sdk-admin'],
}]
`;

/**
 * Starts a JupyterHub on 127.0.0.1 and resolves once its API answers through the proxy.
 * @throws Error naming the hub's last output when it exits or does not answer in time
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const stateDir = await mkdtemp(join(tmpdir(), 'jupyter-sdk-hub-'));
  const adminToken = randomBytes(24).toString('hex');
  const [port, hubPort, proxyApiPort] = await freePorts(3);
  const settings = {
    state: stateDir,
    port,
    hub_port: hubPort,
    proxy_api_port: proxyApiPort,
    page_limit: options.pageLimit ?? 10,
    cache_max_age: options.authCacheMaxAge ?? 2,
  };
  const configFile = join(stateDir, 'jupyterhub_config.py');
  await writeFile(configFile, CONFIG);
  const env = {
    ...process.env,
    // Debian's configurable-http-proxy finds its modules only there.
    NODE_PATH: '/usr/share/nodejs',
    SDK_TEST_HUB_SETTINGS: JSON.stringify(settings),
    SDK_TEST_HUB_ADMIN_TOKEN: adminToken,
  };
  const child = spawn(HUB, ['-f', configFile], { cwd: stateDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const scrub = (line: string) => line.split(adminToken).join('***');
  let tail = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-4000);
    if (options.log) for (const line of text.split('\n')) if (line) options.log(scrub(line));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.once('error', () => undefined);
  const url = `http://127.0.0.1:${port}`;
  const pidsFile = join(stateDir, 'spawned.pids');
  const spawnedPids = () => {
    try {
      return readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let stopping: Promise<void> | undefined;
  const running = { pid: child.pid!, stateDir, spawnedPids };
  live.add(running);
  const stop = () => (stopping ??= shutdown(child, exited, stateDir, spawnedPids).finally(() => live.delete(running)));
  try {
    await waitForApi(url, child, options.startTimeout ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`JupyterHub did not start: ${(error as Error).message}\n${scrub(tail)}`);
  }
  return { url, adminToken, stateDir, pid: child.pid!, spawnedPids, stop };
}

// Hubs not stopped yet: a test run that crashes takes them down on exit ('exit' handlers are
// synchronous: SIGKILL and rmSync, no grace period).
const live = new Set<{ pid: number; stateDir: string; spawnedPids: () => number[] }>();
process.on('exit', () => {
  for (const hub of live) {
    killAll(hub.pid, hub.stateDir, hub.spawnedPids());
    rmSync(hub.stateDir, { recursive: true, force: true });
  }
});

async function waitForApi(url: string, child: ChildProcess, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the hub exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(`${url}/hub/api`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`no answer from ${url}/hub/api within ${timeout} ms`);
}

/**
 * SIGTERM to the hub, which stops its user servers and its proxy; after a grace period, SIGKILL
 * for the hub, the proxy and each recorded user server that is still there (each leads a session
 * of its own, so they are found by the PIDs the spawner wrote, not by process group).
 */
async function shutdown(child: ChildProcess, exited: Promise<void>, stateDir: string, spawnedPids: () => number[]): Promise<void> {
  const pid = child.pid!;
  // Read before the hub goes: it removes the file when it stops the proxy.
  const proxyPid = readPid(join(stateDir, 'proxy.pid'));
  if (child.exitCode === null && child.signalCode === null) {
    signal(pid, 'SIGTERM');
    await Promise.race([exited, sleep(STOP_GRACE_MS)]);
  }
  killAll(pid, stateDir, spawnedPids(), proxyPid);
  await Promise.race([exited, sleep(STOP_GRACE_MS)]);
  await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
}

/** SIGKILL for the hub's process group, its proxy and the user servers it recorded. */
function killAll(hubPid: number, stateDir: string, spawned: number[], proxyPid = readPid(join(stateDir, 'proxy.pid'))): void {
  signal(-hubPid, 'SIGKILL');
  for (const pid of [proxyPid, ...spawned]) {
    if (pid === undefined) continue;
    // A recorded PID may have been reused by now: only a process of ours gets the signal.
    if (!/jupyterhub-singleuser|configurable-http-proxy/.test(commandLine(pid))) continue;
    signal(-pid, 'SIGKILL');
    signal(pid, 'SIGKILL');
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // ESRCH: already gone.
  }
}

/** `count` distinct free TCP ports on 127.0.0.1, held open together while they are picked. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<import('node:net').Server>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
