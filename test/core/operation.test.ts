import { describe, expect, expectTypeOf, it } from 'vitest';
import { fillPath } from '../../src/core/operation.js';
import { Http } from '../../src/core/http.js';
import type { paths } from '../../src/generated/jupyter-server.js';
import type { paths as WnologyPaths } from '../../src/generated/wnology.js';
import type { Kernel } from 'jupyter-sdk';

describe('fillPath', () => {
  it('encodes each parameter as one segment', () => {
    expect(fillPath('/api/kernels/{kernel_id}/restart', { kernel_id: 'a/b #?%é' })).toBe('/api/kernels/a%2Fb%20%23%3F%25%C3%A9/restart');
  });

  it('keeps the / separators of a contents path and encodes its segments', () => {
    expect(fillPath('/api/contents/{path}/checkpoints/{checkpoint_id}', { path: 'dir one/Q3 #1?.ipynb', checkpoint_id: 'checkpoint' })).toBe(
      '/api/contents/dir%20one/Q3%20%231%3F.ipynb/checkpoints/checkpoint',
    );
  });
});

describe('Http.call types, from the generated paths', () => {
  // Never sent: these calls only exist for the type checker (npm run typecheck fails if an expected error is missing).
  const http = new Http<paths>({ baseUrl: 'http://jupyter.test', fetch: () => Promise.reject(new Error('not sent')), redact: (t) => t });
  const typesOnly = (f: () => unknown) => expect(typeof f).toBe('function');

  it('resolves to the success body the spec declares', () => {
    typesOnly(() => expectTypeOf(http.call('get', '/api/kernels/{kernel_id}', { path: { kernel_id: 'k' } })).resolves.toEqualTypeOf<Kernel>());
    typesOnly(() => expectTypeOf(http.call('delete', '/api/kernels/{kernel_id}', { path: { kernel_id: 'k' } })).resolves.toEqualTypeOf<void>());
  });

  it('refuses paths, methods, parameters and bodies the spec does not have', () => {
    // @ts-expect-error: no such path in the spec
    typesOnly(() => http.call('get', '/api/kernel', {}));
    // @ts-expect-error: /api/kernels has no DELETE
    typesOnly(() => http.call('delete', '/api/kernels', {}));
    // @ts-expect-error: the path parameter is kernel_id
    typesOnly(() => http.call('get', '/api/kernels/{kernel_id}', { path: { id: 'k' } }));
    // @ts-expect-error: content is 0 or 1
    typesOnly(() => http.call('get', '/api/contents', { query: { content: 2 } }));
    const wn = new Http<WnologyPaths>({ baseUrl: 'http://wnology.test', fetch: () => Promise.reject(new Error('not sent')), redact: (t) => t });
    const ids = { applicationId: 'a', notebookId: 'n' };
    // @ts-expect-error: cancelExecution's executionId query parameter is required
    typesOnly(() => wn.call('post', '/applications/{applicationId}/notebooks/{notebookId}/cancelExecution', { path: ids, body: {} }));
    typesOnly(() => wn.call('post', '/applications/{applicationId}/notebooks/{notebookId}/cancelExecution', { path: ids, query: { executionId: 'e' }, body: {} }));
    // @ts-expect-error: a save needs `type`
    typesOnly(() => http.call('put', '/api/contents/{path}', { path: { path: 'a' }, body: { content: 'x' } }));
  });
});
