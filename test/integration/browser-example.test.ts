// examples/browser as README runs it (`npm run example:browser`, after a build): the script
// bundles the page, starts its own Jupyter Server allowing the page's origin and prints the
// address; Chromium opens it, the page lists the server's files and runs its cell, and a
// screenshot is kept under the temp dir (a CI artifact, never committed).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, launchChromium, repo, type Chromium } from '../browser/harness.js';

let chromium: Chromium;
let child: ChildProcess;
let address: string;
const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

beforeAll(async () => {
  await ensureBuilt();
  // A process group of its own, so that stopping it reaches the script under npm and tsx, which
  // then stops its Jupyter Server.
  child = spawn('npm', ['run', '--silent', 'example:browser'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  address = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const m = /^open (\S+)$/m.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm run example:browser exited (${code}) before printing an address:\n${output.replace(/token=[^&\s]+/g, 'token=***')}`)));
  });
  chromium = await launchChromium();
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  if (child && child.exitCode === null) {
    process.kill(-child.pid!, 'SIGTERM');
    await exited();
  }
});

it('lists the files and shows the text and image outputs of its cell; a screenshot is kept under the temp dir', async () => {
  const page = await chromium.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String((e as Error)?.message ?? e)));
  await page.setViewport({ width: 900, height: 1000 });
  await page.goto(address, { waitUntil: 'load' });
  await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 60_000 });
  const seen = await page.evaluate(() => ({
    state: document.body.dataset.state,
    status: document.getElementById('status')!.textContent,
    files: [...document.querySelectorAll('#files li')].map((li) => li.textContent),
    text: [...document.querySelectorAll('#output pre')].map((p) => p.textContent),
    images: [...document.querySelectorAll<HTMLImageElement>('#output img')].map((i) => ({ complete: i.complete, w: i.naturalWidth, h: i.naturalHeight })),
    hash: location.hash,
  }));
  const dir = join(tmpdir(), 'jupyter-sdk-artifacts');
  await mkdir(dir, { recursive: true });
  const shot = join(dir, 'browser-example.png');
  await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
  console.log(`browser example screenshot: ${shot}`);

  expect(seen.status).toMatch(/^Cell ran: ok, execution count 1, kernel wire format v1\.$/);
  expect(seen.state).toBe('done');
  expect(seen.files.slice(0, 2)).toEqual(['browser/', 'notebooks/']);
  expect(seen.files).toEqual(expect.arrayContaining(['browser/', 'notebooks/', expect.stringMatching(/^quickstart\.ts \d+ B$/)]));
  expect(seen.text).toEqual(['Hello from the kernel: sum(range(10)) = 45\n', expect.stringMatching(/^'\d+ bytes of PNG'$/)]);
  expect(seen.images).toEqual([{ complete: true, w: 240, h: 100 }]);
  // The token was taken out of the address bar once read.
  expect(seen.hash).not.toContain('token');
  expect(errors).toEqual([]);
});
