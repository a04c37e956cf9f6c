import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/check-cycles.mjs', import.meta.url).pathname;

/** Runs the checker on a tree of files; its exit status and output. */
function check(files: Record<string, string>): { status: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    return { status: 0, out: execFileSync(process.execPath, [script, dir], { encoding: 'utf8' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { status: err.status, out: err.stdout };
  }
}

describe('scripts/check-cycles.mjs', () => {
  it('passes a tree whose imports point one way', () => {
    expect(check({ 'a/x.ts': "import { y } from '../b/y.js';", 'b/y.ts': 'export const y = 1;' }).status).toBe(0);
  });

  it('fails on a file cycle, type-only imports included', () => {
    const r = check({ 'a/x.ts': "import type { Y } from './y.js';\nexport type X = 1;", 'a/y.ts': "import type { X } from './x.js';\nexport type Y = X;" });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/CYCLE +files: .*a\/x\.ts -> .*a\/y\.ts/);
  });

  it('fails on a folder cycle made of files that do not form one', () => {
    const r = check({ 'a/x.ts': "import { y } from '../b/y.js';", 'b/y.ts': 'export const y = 1;', 'b/z.ts': "export { w } from '../a/w.js';", 'a/w.ts': 'export const w = 1;' });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/CYCLE +folders: .*a -> .*b/);
  });

  it('finds import() and re-exports too', () => {
    const r = check({ 'a/x.ts': "export async function f() { return import('./y.js'); }", 'a/y.ts': "export * from './x.js';" });
    expect(r.status).toBe(1);
  });
});
