// Terminals (REST part) against the real Jupyter Server 1.23.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { InvalidArgumentError, JupyterClient, NotFoundError } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });

const started = new Set<string>();
afterEach(async () => {
  for (const name of started) await jupyter.terminals.delete(name).catch(() => undefined);
  started.clear();
});

describe('terminals', () => {
  it('create, list, get and delete a terminal', async () => {
    const terminal = await jupyter.terminals.create();
    started.add(terminal.name);
    expect(terminal.name).toMatch(/^\d+$/);

    expect((await jupyter.terminals.list()).map((t) => t.name)).toContain(terminal.name);
    const got = await jupyter.terminals.get(terminal.name);
    expect(got.name).toBe(terminal.name);
    expect(Number.isNaN(Date.parse(String(got.last_activity)))).toBe(false);

    await expect(jupyter.terminals.delete(terminal.name)).resolves.toBeUndefined();
    started.delete(terminal.name);
    // 1.23 drops the terminal from the list before DELETE answers; 2.x answers once the shell is
    // killed and drops it when it reads the shell's end of file, which under load comes later.
    await expect.poll(async () => (await jupyter.terminals.list()).map((t) => t.name), { timeout: 15_000, interval: 200 }).not.toContain(terminal.name);
  });

  it('create honours a custom name', async () => {
    const name = `rest_${randomBytes(4).toString('hex')}`;
    const terminal = await jupyter.terminals.create({ name });
    started.add(terminal.name);
    expect(terminal.name).toBe(name);
    expect((await jupyter.terminals.get(name)).name).toBe(name);
  });

  it('get and delete throw NotFoundError with the server message for a missing terminal', async () => {
    const err = await jupyter.terminals.get('999999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).serverMessage).toBe('Terminal not found: 999999');
    await expect(jupyter.terminals.delete('999999')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a name the server would accept but never route to, so no unreachable shell is left running', async () => {
    const before = (await jupyter.terminals.list()).map((t) => t.name);
    const name = `rest-${randomBytes(4).toString('hex')}`;
    await expect(jupyter.terminals.create({ name })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await jupyter.terminals.list()).map((t) => t.name)).toEqual(before);
  });
});
