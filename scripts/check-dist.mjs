#!/usr/bin/env node
// Runs scripts/dist-smoke.mjs on this Node and on Node 22 and 24 from the npm registry's `node` package.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const smoke = fileURLToPath(new URL('./dist-smoke.mjs', import.meta.url));
const runtimes = [[process.execPath], ['npx', '-y', 'node@22'], ['npx', '-y', 'node@24']];
for (const [cmd, ...pre] of runtimes) {
  execFileSync(cmd, [...pre, smoke], { stdio: 'inherit' });
}
