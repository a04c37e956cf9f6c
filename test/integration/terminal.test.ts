// Terminals against the real server: run echo and read it back.
import { describe, expect, inject, it } from 'vitest';
import { JupyterClient } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });

describe('terminal channel', () => {
  it('runs echo in a terminal and reads the output back; deleting the terminal closes the connection', async () => {
    const { name } = await jupyter.terminals.create();
    const term = await jupyter.terminals.connect(name);
    const closed = new Promise((r) => term.on('close', r));
    term.resize(30, 100);
    term.send('echo sdk-$((40+2))\r');
    let out = '';
    for await (const text of term) {
      out += text;
      if (out.includes('sdk-42')) break;
    }
    expect(out).toContain('sdk-42');
    await jupyter.terminals.delete(name);
    expect(await closed).toMatchObject({ disconnected: true });
    expect(term.isClosed).toBe(true);
  });
});
