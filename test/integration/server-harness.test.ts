import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { JupyterClient } from 'jupyter-sdk';
import { JupyterServerNotFoundError, JupyterServerStartError, startJupyterServer } from 'jupyter-sdk/server';
import { probePython } from '../../src/server/python.js';

// `serverPython`: the interpreter of this project's server (1.23 or 2.x), for servers started here.
const { url, token, rootDir, python: serverPython } = inject('jupyter');
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
      const server = await startJupyterServer({ python: serverPython });
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

  it.runIf(process.platform === 'linux')(
    'its kernels talk to it over Unix sockets (no TCP port race when many start at once); extraArgs can ask for TCP',
    async () => {
      const transportOf = async (extraArgs: string[] | undefined, kernels: number) => {
        const server = await startJupyterServer({ python: serverPython, extraArgs });
        try {
          const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
          const started = await Promise.all(Array.from({ length: kernels }, () => jupyter.kernels.start()));
          const seen: string[] = [];
          for (const { id } of started) {
            const kernel = await jupyter.kernels.connect(id);
            try {
              const result = await kernel.run("from ipykernel.connect import get_connection_info\nprint(get_connection_info(unpack=True)['transport'])");
              seen.push((result.outputs[0] as { text: string }).text.trim());
            } finally {
              await kernel.close();
            }
          }
          return seen;
        } finally {
          await server.stop();
        }
      };
      expect(await transportOf(undefined, 6)).toEqual(Array(6).fill('ipc'));
      expect(await transportOf(['--KernelManager.transport=tcp'], 1)).toEqual(['tcp']);
    },
  );
});

/** A `python` that runs /usr/bin/python3 with a PYTHONPATH of our making (and without site-packages when `isolated`). */
async function fakePython(dir: string, pythonPath: string, isolated: boolean): Promise<string> {
  const script = join(dir, isolated ? 'python-isolated' : 'python-shadowed');
  await writeFile(script, `#!/bin/sh\nPYTHONPATH=${pythonPath} exec /usr/bin/python3 ${isolated ? '-S ' : ''}"$@"\n`);
  await chmod(script, 0o755);
  return script;
}

describe('startJupyterServer: finding Python, and saying why a start failed', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('checks for ipykernel as well as jupyter_server, and says which one is missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fake-python-'));
    // jupyter_server importable, ipykernel not: no site-packages, only a link to jupyter_server.
    await mkdir(join(dir, 'path'));
    await symlink('/usr/lib/python3/dist-packages/jupyter_server', join(dir, 'path', 'jupyter_server'));
    const python = await fakePython(dir, join(dir, 'path'), true);
    expect(await probePython(python)).toEqual({ python, problem: 'missing-modules', missing: ['ipykernel'] });
    expect(await probePython('/usr/bin/python3')).toBeUndefined();
    expect(await probePython(join(dir, 'no-such-python'))).toEqual({ python: join(dir, 'no-such-python'), problem: 'not-found', missing: [] });

    const error = await startJupyterServer({ python }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JupyterServerNotFoundError);
    expect((error as JupyterServerNotFoundError).probes).toEqual([{ python, problem: 'missing-modules', missing: ['ipykernel'] }]);
    expect((error as Error).message).toContain(`${python}: no ipykernel`);
  });

  it('throws JupyterServerStartError whose reason is the line that says why', async () => {
    dir ??= await mkdtemp(join(tmpdir(), 'fake-python-'));
    // A jupyter_server package that is found but broken: the probe passes, the start fails.
    await mkdir(join(dir, 'broken', 'jupyter_server'), { recursive: true });
    await writeFile(join(dir, 'broken', 'jupyter_server', '__init__.py'), '');
    const python = await fakePython(dir, join(dir, 'broken'), false);
    const error = await startJupyterServer({ python }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JupyterServerStartError);
    const e = error as JupyterServerStartError;
    expect(e.reason).toBe("ModuleNotFoundError: No module named 'jupyter_server.serverapp'");
    expect(e.summary).toBe("Jupyter Server exited (code 1) before it was ready: ModuleNotFoundError: No module named 'jupyter_server.serverapp'");
    expect(e.output).toContain('Traceback (most recent call last):');
  });
});

describe('the local server keeps its token from notebook code', () => {
  it.runIf(process.platform === 'linux')(
    'kernels inherit no JUPYTER_TOKEN, and neither their environment nor the server files they can read hold the token',
    async () => {
      // A token for some other server in the caller's environment must not reach kernels either.
      const outer = `outer-${randomUUID()}`;
      const server = await startJupyterServer({ env: { JUPYTER_TOKEN: outer }, python: serverPython });
      try {
        const jupyter = new JupyterClient({ baseUrl: server.url, token: server.token });
        const { id } = await jupyter.kernels.start();
        const kernel = await jupyter.kernels.connect(id);
        try {
          const code = [
            'import glob, json, os',
            'def read(p):',
            '    try:',
            "        return open(p, 'rb').read().decode('utf-8', 'replace')",
            '    except OSError:',
            "        return ''",
            "files = [p for d in (os.environ.get('JUPYTER_CONFIG_DIR', ''), os.environ.get('JUPYTER_RUNTIME_DIR', '')) if d for p in glob.glob(d + '/**', recursive=True) if os.path.isfile(p)]",
            'print(json.dumps({',
            "    'env_has_token': 'JUPYTER_TOKEN' in os.environ or 'JUPYTER_TOKEN_FILE' in os.environ,",
            "    'environ': read('/proc/self/environ'),",
            "    'server_environ': read('/proc/%d/environ' % os.getppid()),",
            "    'server_cmdline': read('/proc/%d/cmdline' % os.getppid()),",
            "    'files': {p: read(p) for p in files},",
            '}))',
          ].join('\n');
          const result = await kernel.run(code);
          expect(result.status).toBe('ok');
          const seen = JSON.parse((result.outputs[0] as { text: string }).text) as {
            env_has_token: boolean;
            environ: string;
            server_environ: string;
            server_cmdline: string;
            files: Record<string, string>;
          };
          expect(seen.env_has_token).toBe(false);
          // The check can fail: the kernel does read its environment and the server's files.
          expect(seen.environ).toContain('JUPYTER_RUNTIME_DIR=');
          expect(Object.keys(seen.files).some((f) => /kernel-.*\.json$/.test(f))).toBe(true);
          for (const [where, text] of Object.entries({ ...seen, files: JSON.stringify(seen.files) })) {
            expect(String(text), where).not.toContain(server.token);
            expect(String(text), where).not.toContain(outer);
          }
        } finally {
          await kernel.close();
        }
      } finally {
        await server.stop();
      }
    },
  );
});
