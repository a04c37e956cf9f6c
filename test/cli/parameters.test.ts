import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonFloat } from 'jupyter-sdk';
import { UsageError } from '../../src/cli/args.js';
import { readParametersFile, resolveParameters } from '../../src/cli/parameters.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-params-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe('parameters files and the order papermill merges them in', () => {
  it('reads JSON and YAML mappings; YAML dates stay strings, as papermill reads them', async () => {
    expect(await readParametersFile(await file('p.json', '{"a": 1, "b": [true, null], "c": {"d": "e"}}'))).toEqual({ a: 1, b: [true, null], c: { d: 'e' } });
    const yaml = await file('p.yaml', 'alpha: 0.5\nname: "x y"\nwhen: 2024-01-02\nitems:\n  - 1\n  - two\nnested: {k: v}\nempty: ~\n');
    expect(await readParametersFile(yaml)).toEqual({ alpha: 0.5, name: 'x y', when: '2024-01-02', items: [1, 'two'], nested: { k: 'v' }, empty: null });
    expect(await readParametersFile(await file('empty.yml', ''))).toEqual({});
  });

  it('refuses a missing file, invalid text and a file that is not a mapping, with a UsageError naming it', async () => {
    await expect(readParametersFile(join(dir, 'nope.yaml'))).rejects.toThrow(/no such parameters file: .*nope\.yaml/);
    await expect(readParametersFile(await file('bad.json', '{'))).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(readParametersFile(await file('bad.yaml', 'a: [1'))).rejects.toThrow(/bad\.yaml is not valid YAML/);
    await expect(readParametersFile(await file('list.yaml', '- 1\n- 2\n'))).rejects.toThrow(/must hold a mapping.*not a list/);
    await expect(readParametersFile(await file('list.yaml', '- 1\n'))).rejects.toBeInstanceOf(UsageError);
  });

  it('merges files first, then -p, then -r, whatever order they were given in', async () => {
    const f = await file('base.json', '{"a": "file", "b": "file", "c": "file"}');
    const merged = await resolveParameters([
      { kind: 'raw', name: 'c', value: '3' },
      { kind: 'typed', name: 'b', value: '2.0' },
      { kind: 'typed', name: 'c', value: '9' },
      { kind: 'file', file: f },
    ]);
    expect(merged).toEqual({ a: 'file', b: new PythonFloat(2), c: '3' });
    expect(await resolveParameters([])).toBeUndefined();
  });

  it('keeps a parameter called __proto__ as a parameter', async () => {
    const merged = await resolveParameters([{ kind: 'typed', name: '__proto__', value: '1' }]);
    expect(Object.keys(merged!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
