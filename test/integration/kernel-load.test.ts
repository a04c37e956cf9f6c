// Completion under load against the real server: many kernels, pipelined executes, the machine
// busy. Under such load the server's iopub lags the shell replies by seconds; a request must still
// get every output of its own and nothing of another's, whatever the timing. Asserts correctness,
// never time (the figures are in bench/reliability).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { JupyterClient, type KernelConnection, type RunResult } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const KERNELS = 8;
const EXECUTES = 25;
const started: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((id) => jupyter.kernels.shutdown(id).catch(() => {})));
});

/** Our tagged lines of a result (IPython may add warnings of its own, e.g. a locked history database under load). */
function tagged(r: RunResult): string[] {
  const text = r.outputs.map((o) => (o.output_type === 'stream' ? String(o.text) : '')).join('');
  return text.split('\n').filter((l) => l.includes('out-')).map((l) => l.slice(l.indexOf('out-')));
}

describe('completion under load', () => {
  it(`${KERNELS} kernels x ${EXECUTES} pipelined executes while the kernels are kept busy: every output arrives, in its own request`, async () => {
    const kernels: KernelConnection[] = await Promise.all(
      Array.from({ length: KERNELS }, async () => {
        const { id } = await jupyter.kernels.start({ name: 'python3' });
        started.push(id);
        return jupyter.kernels.connect(id);
      }),
    );
    try {
      const results = await Promise.all(
        kernels.map((k, ki) =>
          Promise.all(
            Array.from({ length: EXECUTES }, (_, i) =>
              // CPU work after the print keeps every kernel (and so the server) busy, so iopub
              // trails the replies; flush=True sends the line before the work starts.
              k.run(`print('out-${ki}-${i}', flush=True)\n_ = sum(range(300_000))\nprint('out-${ki}-${i}-end')`, { storeHistory: false }),
            ),
          ),
        ),
      );
      const wrong: string[] = [];
      results.forEach((rs, ki) =>
        rs.forEach((r, i) => {
          const want = [`out-${ki}-${i}`, `out-${ki}-${i}-end`];
          const got = tagged(r);
          if (r.status !== 'ok' || r.incomplete || JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${ki}/${i}: ${r.status} ${r.incompleteReason ?? ''} ${JSON.stringify(got)}`);
        }),
      );
      expect(wrong).toEqual([]);
    } finally {
      await Promise.all(kernels.map((k) => k.close()));
    }
  });
});
