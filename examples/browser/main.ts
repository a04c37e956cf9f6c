// A browser page that connects to a Jupyter Server, lists its root folder and runs a cell whose
// text and image outputs it shows. Bundled by serve.ts with esbuild, which picks the package's
// browser build (global WebSocket, no `ws`) through its `browser` export condition.
// The server and token come from the form, or from the page's fragment (#url=...&token=...),
// which browsers never send to a server; the token is then taken out of the address bar.
// It takes the bare-bones route (README, "Small browser bundles"): a JupyterCore and the two
// resources it uses, so the bundle holds no code of the others.
import { ContentsResource, JupyterCore, KernelsResource, type RunResult } from 'jupyter-sdk';

const CELL = `import struct, zlib, math
print("Hello from the kernel: sum(range(10)) =", sum(range(10)))

# A 240x100 PNG drawn in plain Python (no matplotlib needed): a sine wave on a gradient.
w, h = 240, 100
rows = []
for y in range(h):
    row = bytearray([0])
    for x in range(w):
        on_wave = abs(y - (h / 2 - 38 * math.sin(x / w * 4 * math.pi))) < 2.5
        row += bytes((243, 119, 38) if on_wave else (230 - y // 2, 238 - y // 3, 250))
    rows.append(bytes(row))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))

from IPython.display import Image, display
display(Image(data=png))
f"{len(png)} bytes of PNG"`;

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = el<HTMLFormElement>('connect');
const urlInput = el<HTMLInputElement>('url');
const tokenInput = el<HTMLInputElement>('token');
const codeInput = el<HTMLTextAreaElement>('code');

function setStatus(text: string, state: 'busy' | 'done' | 'error'): void {
  el('status').textContent = text;
  document.body.dataset.state = state;
}

function add(parent: HTMLElement, tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  parent.append(node);
  return node;
}

/** Shows nbformat outputs: streams and text/plain as text, image/png as an image. */
function showOutputs(result: RunResult): void {
  const out = el('output');
  out.replaceChildren();
  for (const o of result.outputs) {
    if (o.output_type === 'stream') add(out, 'pre', String(o.text));
    else if (o.output_type === 'error') add(out, 'pre', `${o.ename}: ${o.evalue}`, 'error');
    else if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
      const data = o.data as Record<string, string | string[]>;
      if (data['image/png']) {
        const img = add(out, 'img') as HTMLImageElement;
        img.alt = 'image/png output';
        img.src = `data:image/png;base64,${String(data['image/png'])}`;
      } else if (data['text/plain']) add(out, 'pre', ([] as string[]).concat(data['text/plain']).join(''));
    }
  }
}

async function connectAndRun(): Promise<void> {
  // Without a token the browser's login cookie for this origin is used (cookie + XSRF auth).
  const core = new JupyterCore({ baseUrl: urlInput.value || location.origin, token: tokenInput.value || undefined });
  const contents = new ContentsResource(core);
  const kernels = new KernelsResource(core);
  setStatus('Listing files...', 'busy');
  const files = el('files');
  files.replaceChildren();
  const entries = await contents.list('');
  // Folders first, then by name.
  entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.type === 'directory') add(files, 'li', `${entry.name}/`);
    else add(add(files, 'li', `${entry.name} `), 'small', `${entry.size ?? 0} B`);
  }
  setStatus('Starting a kernel...', 'busy');
  const { id } = await kernels.start();
  const kernel = await kernels.connect(id);
  try {
    setStatus('Running the cell...', 'busy');
    const result = await kernel.run(codeInput.value);
    showOutputs(result);
    setStatus(`Cell ran: ${result.status}, execution count ${result.executionCount}, kernel wire format ${kernel.protocol}.`, 'done');
  } finally {
    await kernel.close();
    await kernels.shutdown(id);
  }
}

const fromFragment = new URLSearchParams(location.hash.slice(1));
urlInput.value = fromFragment.get('url') ?? location.origin;
tokenInput.value = fromFragment.get('token') ?? '';
codeInput.value = CELL;
if (fromFragment.has('token')) history.replaceState(null, '', `${location.pathname}#url=${encodeURIComponent(urlInput.value)}`);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  connectAndRun().catch((e: Error) => setStatus(`${e.name}: ${e.message}`, 'error'));
});
if (fromFragment.has('url')) form.requestSubmit();
