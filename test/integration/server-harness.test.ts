import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startJupyterServer } from 'jupyter-sdk/server';

const { url, token, rootDir } = inject('jupyter');
const auth = { Authorization: `token ${token}` };
// A folder of our own: the server and its root are shared by every integration test file.
const dir = `harness-${randomUUID()}`;

afterAll(async () => {
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

describe('the integration server harness', () => {
  it('answers GET /api/status on 127.0.0.1 when the token is sent', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const response = await fetch(`${url}/api/status`, { headers: auth });
    expect(response.status).toBe(200);
    const status = (await response.json()) as Record<string, unknown>;
    expect(status).toMatchObject({ kernels: expect.any(Number), connections: expect.any(Number) });
    expect(typeof status.started).toBe('string');
  });

  it('refuses GET /api/status with 403 when the token is missing or wrong', async () => {
    const missing = await fetch(`${url}/api/status`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ message: 'Forbidden', reason: null });
    const wrong = await fetch(`${url}/api/status`, { headers: { Authorization: 'token not-the-token' } });
    expect(wrong.status).toBe(403);
  });

  it('serves its root dir: files written on disk show through the API and the reverse', async () => {
    await mkdir(join(rootDir, dir));
    await writeFile(join(rootDir, dir, 'from-disk.txt'), 'written on disk');

    const read = await fetch(`${url}/api/contents/${dir}/from-disk.txt`, { headers: auth });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ type: 'file', format: 'text', content: 'written on disk' });

    const saved = await fetch(`${url}/api/contents/${dir}/from-api.txt`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'file', format: 'text', content: 'written through the API' }),
    });
    expect(saved.status).toBe(201);
    expect(await readFile(join(rootDir, dir, 'from-api.txt'), 'utf8')).toBe('written through the API');

    const deleted = await fetch(`${url}/api/contents/${dir}/from-api.txt`, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(204);
    // delete_to_trash is off, so the file is really gone, not moved to a trash folder.
    await expect(stat(join(rootDir, dir, 'from-api.txt'))).rejects.toThrow(/ENOENT/);
  });
});

/** Pids of live processes whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

describe('startJupyterServer', () => {
  it.runIf(process.platform === 'linux')(
    'stop() leaves no kernel behind and removes the temp root it created',
    async () => {
      const server = await startJupyterServer();
      const headers = { Authorization: `token ${server.token}`, 'Content-Type': 'application/json' };
      const started = await fetch(`${server.url}/api/kernels`, { method: 'POST', headers, body: '{}' });
      const kernel = (await started.json()) as { id: string };
      // The kernel's command line names its connection file, kernel-<id>.json.
      expect(processesMentioning(kernel.id)).not.toHaveLength(0);

      await server.stop();
      await server.stop(); // idempotent

      expect(processesMentioning(kernel.id)).toHaveLength(0);
      expect(existsSync(server.rootDir)).toBe(false);
      await expect(fetch(`${server.url}/api/status`, { headers })).rejects.toThrow();
    },
  );
});
