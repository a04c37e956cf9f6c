// jupyter.events against the real server: 2.x publishes kernel and contents events on its
// events socket and accepts events of registered schemas; 1.x has neither.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  BadRequestError,
  CONTENTS_EVENT,
  JupyterClient,
  KERNEL_ACTION_EVENT,
  NotSupportedError,
  type EventSubscription,
  type ServerEvent,
} from 'jupyter-sdk';
import { SpecValidator } from '../support/spec-validator.js';

const { url, token, rootDir, major, version } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const spec = new SpecValidator('jupyter-server.yaml');
const dir = `events-${randomUUID()}`;

afterAll(async () => {
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

/** Reads events until `done` says enough (or 20 s pass), then closes the subscription. */
async function collect<E>(sub: EventSubscription<E>, done: (seen: E[]) => boolean): Promise<E[]> {
  const seen: E[] = [];
  const timer = setTimeout(() => void sub.close(), 20_000);
  for await (const e of sub) {
    seen.push(e);
    if (done(seen)) break;
  }
  clearTimeout(timer);
  return seen;
}

describe(`events on Jupyter Server ${version}`, () => {
  it('contents: save, copy, rename and delete in a folder arrive in order, with their paths (2.x); NotSupportedError on 1.x', async () => {
    if (major === 1) {
      const err = (await jupyter.events.subscribe().catch((e: unknown) => e)) as NotSupportedError;
      expect(err).toBeInstanceOf(NotSupportedError);
      expect(err).toMatchObject({ feature: 'events', serverVersion: version });
      return;
    }
    const sub = await jupyter.events.subscribe({ schemas: [CONTENTS_EVENT] });
    const mine = collect(sub, (seen) => seen.some((e) => e.action === 'delete' && e.path === `${dir}/b.txt`));
    await jupyter.contents.save(dir, { type: 'directory' });
    await jupyter.contents.save(`${dir}/a.txt`, { type: 'file', format: 'text', content: 'a' });
    const copy = await jupyter.contents.copy(`${dir}/a.txt`, dir);
    await jupyter.contents.rename(copy.path, `${dir}/b.txt`);
    await jupyter.contents.delete(`${dir}/b.txt`);
    const seen = (await mine).filter((e) => e.path.startsWith(dir) && e.action !== 'get');
    expect(seen).toEqual([
      { schema_id: CONTENTS_EVENT, action: 'save', path: dir },
      { schema_id: CONTENTS_EVENT, action: 'save', path: `${dir}/a.txt` },
      // A copy is saved, then announced as a copy.
      { schema_id: CONTENTS_EVENT, action: 'save', path: copy.path },
      { schema_id: CONTENTS_EVENT, action: 'copy', path: copy.path, source_path: `${dir}/a.txt` },
      { schema_id: CONTENTS_EVENT, action: 'rename', path: `${dir}/b.txt`, source_path: copy.path },
      { schema_id: CONTENTS_EVENT, action: 'delete', path: `${dir}/b.txt` },
    ]);
    expect(sub.closed).toBe(true);
  });

  it('kernels: start, interrupt, restart and shutdown arrive as kernel action events that fit the spec (2.x)', async () => {
    if (major === 1) {
      await expect(jupyter.events.subscribe({ schemas: [KERNEL_ACTION_EVENT] })).rejects.toBeInstanceOf(NotSupportedError);
      return;
    }
    const sub = await jupyter.events.subscribe();
    let id = '';
    const all = collect(sub, (seen) => seen.some((e) => e.schema_id === KERNEL_ACTION_EVENT && e.action === 'shutdown' && e.kernel_id === id));
    const kernel = await jupyter.kernels.start({ name: 'python3' });
    id = kernel.id;
    await jupyter.kernels.interrupt(id);
    await jupyter.kernels.restart(id);
    await jupyter.kernels.shutdown(id);
    const events: ServerEvent[] = await all;
    for (const e of events) expect(spec.check('GET', '/api/events/subscribe', 101, 'application/json', e)).toEqual([]);
    const mine = events.filter((e) => e.schema_id === KERNEL_ACTION_EVENT && e.kernel_id === id);
    expect(mine.map((e) => e.schema_id === KERNEL_ACTION_EVENT && [e.action, e.status, e.kernel_name])).toEqual([
      ['start', 'success', 'python3'],
      ['interrupt', 'success', 'python3'],
      ['restart', 'success', 'python3'],
      ['shutdown', 'success', 'python3'],
    ]);
    expect(mine[0]).toMatchObject({ msg: `Kernel ${id} was started.` });
  });

  it('emit: an event of a registered schema reaches another client\'s subscription (2.x); NotSupportedError on 1.x', async () => {
    const event = { schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save', path: `${dir}/written-elsewhere-${randomUUID()}.csv` } };
    if (major === 1) {
      const err = (await jupyter.events.emit(event).catch((e: unknown) => e)) as NotSupportedError;
      expect(err).toBeInstanceOf(NotSupportedError);
      expect(err.serverVersion).toBe(version);
      return;
    }
    const other = new JupyterClient({ baseUrl: url, token });
    const sub = await other.events.subscribe({ schemas: [CONTENTS_EVENT] });
    const got = collect(sub, (seen) => seen.some((e) => e.path === event.data.path));
    await expect(jupyter.events.emit(event)).resolves.toBeUndefined();
    expect((await got).at(-1)).toEqual({ schema_id: CONTENTS_EVENT, ...event.data });
  });

  it('emit: an unregistered schema, a wrong version and refused data are BadRequestErrors naming the schema (2.x)', async () => {
    if (major === 1) {
      await expect(jupyter.events.emit({ schema_id: 'https://example.org/x/v1', version: 1, data: {} })).rejects.toBeInstanceOf(NotSupportedError);
      return;
    }
    const cases: { event: { schema_id: string; version: number; data: Record<string, unknown> }; message: RegExp }[] = [
      { event: { schema_id: 'https://example.org/never-registered/v1', version: 1, data: {} }, message: /^400 'The requested schema, https:\/\/example\.org\/never-registered\/v1, was not found in the schema registry/ },
      { event: { schema_id: CONTENTS_EVENT, version: 2, data: { action: 'save', path: 'x' } }, message: new RegExp(`^400 Unregistered version: '2'≠'1' for \`${CONTENTS_EVENT}\`$`) },
      { event: { schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save' } }, message: new RegExp(`^400 'path' is a required property \\(event '${CONTENTS_EVENT}' version 1\\)$`) },
    ];
    // 2.x validates data only while something listens: with no subscriber the event is dropped
    // unchecked, and the call succeeds.
    await expect(jupyter.events.emit({ schema_id: CONTENTS_EVENT, version: 1, data: { action: 'explode', path: 7 } })).resolves.toBeUndefined();
    cases.push(
      { event: { schema_id: CONTENTS_EVENT, version: 1, data: { action: 'explode', path: 'x' } }, message: new RegExp(`^400 'explode' is not one of \\[.*\\] \\(event '${CONTENTS_EVENT}' version 1\\)$`) },
      { event: { schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save', path: 7 } }, message: new RegExp(`^400 7 is not of type 'string' \\(event '${CONTENTS_EVENT}' version 1\\)$`) },
    );
    const listening = await jupyter.events.subscribe();
    for (const { event, message } of cases) {
      const err = (await jupyter.events.emit(event).catch((e: unknown) => e)) as BadRequestError;
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.message).toMatch(message);
    }
    await listening.close();
  });
});
