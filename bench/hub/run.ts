#!/usr/bin/env -S npx tsx
// Time to N user servers ready (N = 1, 4, 8) on a real JupyterHub 3.0 (Debian's, started here by
// the test harness: SimpleLocalProcessSpawner, so each server is a local jupyterhub-singleuser
// process), started through HubClient all at once versus one after another, and the memory each
// running server costs (RSS of the single-user process and what it started). Prints figures;
// asserts nothing. Concurrent and sequential runs alternate so machine noise hits both.
//   npm run bench:hub                  (ROUNDS=1 SIZES=1,4,8 by default)
import { readFileSync } from 'node:fs';
import { HubClient } from '../../src/hub/index.js';
import { startTestHub } from '../../test/support/hub-server.js';

const ROUNDS = Number(process.env.ROUNDS ?? 1);
const SIZES = (process.env.SIZES ?? '1,4,8').split(',').map(Number);

const testHub = await startTestHub();
const hub = new HubClient({ baseUrl: testHub.url, token: testHub.adminToken });

/** Resident memory of a process and its descendants, in MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const kib = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      total += kib(p);
      for (const task of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) stack.push(Number(task));
    } catch {
      // Gone meanwhile.
    }
  }
  return total / 1024;
}

async function startAndWait(user: string): Promise<void> {
  await hub.servers.start(user);
  await hub.servers.waitReady(user, { timeout: 300_000 });
}

async function stopAll(users: string[]): Promise<void> {
  await Promise.all(users.map((u) => hub.servers.stop(u)));
}

const rows: Array<{ n: number; mode: string; seconds: number[] }> = [];
const memory: number[] = [];
try {
  const users = Array.from({ length: Math.max(...SIZES) }, (_, i) => `bench-${i}`);
  await hub.users.createMany(users);
  for (const n of SIZES) {
    const some = users.slice(0, n);
    const concurrent = { n, mode: 'concurrent', seconds: [] as number[] };
    const sequential = { n, mode: 'one by one', seconds: [] as number[] };
    rows.push(concurrent, sequential);
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now();
      await Promise.all(some.map(startAndWait));
      concurrent.seconds.push((performance.now() - t0) / 1000);
      for (const user of some) {
        const pid = (await hub.users.get(user)).servers?.['']?.state?.pid;
        if (typeof pid === 'number') memory.push(rssMiB(pid));
      }
      await stopAll(some);
      t0 = performance.now();
      for (const user of some) await startAndWait(user);
      sequential.seconds.push((performance.now() - t0) / 1000);
      await stopAll(some);
    }
  }
} finally {
  await testHub.stop();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`JupyterHub 3.0 (SimpleLocalProcessSpawner), ${ROUNDS} round(s), load average ${load}`);
console.log('servers  mode         time to all ready   per server');
for (const row of rows) {
  const s = median(row.seconds);
  console.log(`${String(row.n).padStart(7)}  ${row.mode.padEnd(11)}  ${s.toFixed(1).padStart(15)} s  ${(s / row.n).toFixed(2).padStart(8)} s`);
}
if (memory.length) {
  console.log(`memory per running user server (RSS of jupyterhub-singleuser, no kernel): median ${median(memory).toFixed(0)} MiB, max ${Math.max(...memory).toFixed(0)} MiB over ${memory.length}`);
}
