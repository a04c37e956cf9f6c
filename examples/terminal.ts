/**
 * A server-side terminal: start it over REST, type into it over its WebSocket, read the output.
 * Uses JUPYTER_URL and JUPYTER_TOKEN when set; otherwise starts a local Jupyter server for the run.
 *   npm run example examples/terminal.ts
 */
import { JupyterClient } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const local = process.env.JUPYTER_URL ? undefined : await startJupyterServer();
const jupyter = new JupyterClient({
  baseUrl: process.env.JUPYTER_URL ?? local!.url,
  token: process.env.JUPYTER_TOKEN ?? local!.token,
});

const term = await jupyter.terminals.create();
try {
  const tty = await jupyter.terminals.connect(term.name, { timeout: 10_000 });
  tty.resize(24, 100);
  // The shell echoes what we type, so look for what only the command's output holds.
  tty.send('echo "sum=$((40 + 2))"\r');
  let seen = '';
  for await (const text of tty) {
    seen += text;
    if (seen.includes('sum=42')) break;
  }
  console.log('terminal said:', /sum=\d+/.exec(seen)?.[0]);
  await tty.close();
} finally {
  await jupyter.terminals.delete(term.name).catch(() => undefined);
  await local?.stop();
}
