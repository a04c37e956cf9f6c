// Shared by the unit tests of the REST client: typed models, so a spec change breaks the handlers at compile time.
import { HttpResponse } from 'msw';
import type { components, paths } from 'jupyter-sdk/raw';
import { recordAll as recordUnder, routesFor, type Seen } from '../support/msw.js';

export { describeRequest, expectRequest, type ExpectedRequest, type Seen } from '../support/msw.js';

export type S = components['schemas'];

export const BASE = 'http://jupyter.test/user/ana';
export const TOKEN = 'tok-5e1f0c2a9b7d';
export const KERNEL_ID = '0b6d2b0a-3f6e-4c8e-9a57-1d2c3b4a5f60';
export const SESSION_ID = '7a1c9e2b-5d4f-4b3a-8c6e-2f1e0d9c8b7a';
export const WHEN = '2026-11-22T05:00:00.000000Z';

export function kernelModel(over: Partial<S['Kernel']> = {}): S['Kernel'] {
  return { id: KERNEL_ID, name: 'python3', last_activity: WHEN, execution_state: 'idle', connections: 0, ...over };
}

export function fileModel(path: string, over: Partial<S['FileContents']> = {}): S['FileContents'] {
  return {
    name: path.split('/').pop() ?? '',
    path,
    type: 'file',
    writable: true,
    created: WHEN,
    last_modified: WHEN,
    size: 2,
    mimetype: 'text/plain',
    format: 'text',
    content: 'hi',
    ...over,
  };
}

export function notebookModel(path: string, over: Partial<S['NotebookContents']> = {}): S['NotebookContents'] {
  return {
    name: path.split('/').pop() ?? '',
    path,
    type: 'notebook',
    writable: true,
    created: WHEN,
    last_modified: WHEN,
    size: 72,
    mimetype: null,
    format: 'json',
    content: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 },
    ...over,
  };
}

export function dirModel(path: string, entries: S['Contents'][]): S['DirectoryContents'] {
  return {
    name: path.split('/').pop() ?? '',
    path,
    type: 'directory',
    writable: true,
    created: WHEN,
    last_modified: WHEN,
    size: null,
    mimetype: null,
    format: 'json',
    content: entries,
  };
}

export function sessionModel(over: Partial<S['Session']> = {}): S['Session'] {
  return {
    id: SESSION_ID,
    path: 'work/a.ipynb',
    name: null,
    type: 'notebook',
    kernel: kernelModel(),
    notebook: { path: 'work/a.ipynb', name: null },
    ...over,
  };
}

export function kernelSpecModel(name = 'python3'): S['KernelSpec'] {
  return {
    name,
    spec: {
      argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
      display_name: 'Python 3 (ipykernel)',
      language: 'python',
      interrupt_mode: 'signal',
      env: {},
      metadata: { debugger: true },
    },
    resources: { 'logo-svg': `/kernelspecs/${name}/logo-svg.svg` },
  };
}

export function errorJson(status: number, body: S['Error'], headers?: Record<string, string>) {
  return HttpResponse.json<S['Error']>(body, { status, ...(headers ? { headers } : {}) });
}

/**
 * An MSW handler for every request under BASE that records it and answers with `reply`.
 * Assertions then check the one request that was sent: method, encoded path, query, headers, body.
 */
export const recordAll = (seen: Seen[], reply: (seen: Seen) => Response | Promise<Response>) => recordUnder(seen, reply, BASE);

/** An MSW handler for one operation of spec/jupyter-server.yaml (see routesFor). */
export const route = routesFor<paths>(BASE);
