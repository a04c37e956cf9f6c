// A kernelspec whose process exits at once (found through JUPYTER_PATH), for startup-failure tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a kernelspec `dies` under `root` and returns `root`, to pass as JUPYTER_PATH. */
export async function writeDyingKernelspec(root: string): Promise<string> {
  await mkdir(join(root, 'kernels', 'dies'), { recursive: true });
  await writeFile(
    join(root, 'kernels', 'dies', 'kernel.json'),
    JSON.stringify({
      argv: ['/usr/bin/python3', '-c', "import sys; sys.stderr.write('kernel refuses to start\\n'); sys.exit(1)", '-f', '{connection_file}'],
      display_name: 'Dies at startup',
      language: 'python',
    }),
  );
  return root;
}
