/**
 * The processes of a local Jupyter Server: stopping the server and everything it started, a
 * safety net for servers still running when Node exits, and the server's output.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { waitAtMost } from '../core/deadline.js';

const STOP_GRACE_MS = 5000;
const OUTPUT_LIMIT = 64 * 1024;

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
}

/**
 * SIGTERM to the server alone (it shuts its kernels and terminals down itself), then after a
 * grace period SIGKILL for the server and every process it started. Kernels and terminals run
 * in sessions of their own, so killing the server's process group would miss them: they are
 * found by walking the process tree before the server goes and takes the tree with it.
 */
export async function terminate(child: ChildProcess, pid: number, exited: Promise<void>): Promise<void> {
  const tree = descendants(pid);
  if (!hasExited(child)) {
    signal(pid, 'SIGTERM');
    await waitAtMost(exited, STOP_GRACE_MS);
  }
  if (!hasExited(child)) tree.push(...descendants(pid));
  killTree(pid, tree);
  await exited;
}

// Servers still running; a test run that crashes or forgets stop() takes them down on exit.
export interface RunningServer {
  pid: number;
  tempDirs: string[];
}
const running = new Set<RunningServer>();
let exitHookInstalled = false;

export function register(server: RunningServer): void {
  running.add(server);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: no grace period, just SIGKILL and rmSync.
  process.on('exit', () => {
    for (const server of running) {
      killTree(server.pid, descendants(server.pid));
      for (const dir of server.tempDirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}

export function unregister(server: RunningServer): void {
  running.delete(server);
}

interface ProcessIdentity {
  pid: number;
  /** Start time from /proc, to avoid killing a recycled pid; unknown off Linux. */
  start?: string;
}

interface ProcessEntry extends ProcessIdentity {
  ppid: number;
}

/** Every live process below `root`, found synchronously so it can run in an 'exit' handler. */
export function descendants(root: number): ProcessIdentity[] {
  const table = listProcesses();
  const found: ProcessIdentity[] = [];
  const parents = new Set([root]);
  // Parents are usually listed before their children, but not always: repeat until stable.
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      if (parents.has(entry.ppid) && !parents.has(entry.pid)) {
        parents.add(entry.pid);
        found.push({ pid: entry.pid, start: entry.start });
        grew = true;
      }
    }
  }
  return found;
}

function listProcesses(): ProcessEntry[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => {
        const entry = readProcStat(Number(name));
        return entry ? [entry] : [];
      });
  } catch {
    return listProcessesWithPs();
  }
}

function readProcStat(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined; // exited while we looked
  }
}

function listProcessesWithPs(): ProcessEntry[] {
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .map(([pid = 0, ppid = 0]) => ({ pid, ppid }));
  } catch {
    return [];
  }
}

export function killTree(root: number, tree: readonly ProcessIdentity[]): void {
  signal(-root, 'SIGKILL');
  for (const proc of tree) {
    if (proc.start !== undefined && readProcStat(proc.pid)?.start !== proc.start) continue;
    // A kernel leads its own group; its group holds whatever the kernel itself started.
    signal(-proc.pid, 'SIGKILL');
    signal(proc.pid, 'SIGKILL');
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // ESRCH: already gone.
  }
}

export interface CapturedOutput {
  tail(chars: number): string;
}

/** Keeps the last {@link OUTPUT_LIMIT} characters of stdout and stderr; forwards lines to `log`. */
export function captureOutput(child: ChildProcess, log: ((line: string) => void) | undefined): CapturedOutput {
  let buffer = '';
  const forward = (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer = (buffer + chunk).slice(-OUTPUT_LIMIT);
      if (!log) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log(line);
    });
    stream.on('end', () => {
      if (log && partial) log(partial);
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  return { tail: (chars) => buffer.slice(-chars) };
}
