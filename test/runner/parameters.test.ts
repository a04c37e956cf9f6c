/**
 * Parameters as papermill writes them: the literals (expected strings taken from Python 3.11's
 * repr and unicode_escape), -p typing as papermill's _resolve_type, the injected cell's placement
 * and the metadata record. The round trip through a real kernel is in test/integration/.
 */
import { describe, expect, it } from 'vitest';
import type { ICell, INotebookContent } from '@jupyterlab/nbformat';
import { InvalidArgumentError, ParameterError, PythonFloat } from 'jupyter-sdk';
import {
  injectParameters,
  isPythonIdentifier,
  pythonFloat,
  pythonLiteral,
  pythonString,
  recordParameters,
  renderPythonParameters,
} from '../../src/runner/parameters.js';
import { typedParameter } from '../../src/cli/parameters.js';

describe('Python literals', () => {
  it.each([
    ['plain', '"plain"'],
    ["it's", `"it's"`],
    ['say "hi"', '"say \\"hi\\""'],
    ['line\nnext\ttab\rret', '"line\\nnext\\ttab\\rret"'],
    ['back\\slash', '"back\\\\slash"'],
    ['é😀', '"\\xe9\\U0001f600"'],
    ['\x00\x1f\x7f\x80\xff\u0100\uffff', '"\\x00\\x1f\\x7f\\x80\\xff\\u0100\\uffff"'],
    ['\ud800', '"\\ud800"'],
    ['', '""'],
  ])('writes the string %j as unicode_escape does, in double quotes', (value, literal) => {
    expect(pythonString(value)).toBe(literal);
  });

  it.each([
    [1e-7, '1e-07'],
    [2.5, '2.5'],
    [1e16, '1e+16'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [123.456, '123.456'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.1, '0.1'],
    [12345678901234567, '1.2345678901234568e+16'],
    [-0.5, '-0.5'],
    [-0, '-0.0'],
    [NaN, "float('nan')"],
    [Infinity, "float('inf')"],
    [-Infinity, "float('-inf')"],
  ])('writes the float %d as Python repr does', (value, literal) => {
    expect(pythonLiteral(value)).toBe(literal);
  });

  it('writes integral numbers as ints, PythonFloat as floats, bigints of any size as ints', () => {
    expect(pythonLiteral(42)).toBe('42');
    expect(pythonLiteral(-7)).toBe('-7');
    expect(pythonLiteral(new PythonFloat(2))).toBe('2.0');
    expect(pythonLiteral(new PythonFloat(1e15))).toBe('1000000000000000.0');
    expect(pythonFloat(100)).toBe('100.0');
    expect(pythonLiteral(123456789012345678901234567890n)).toBe('123456789012345678901234567890');
    // Beyond 2^53 a JavaScript number is a float: honest about the precision it has.
    expect(pythonLiteral(2 ** 60)).toBe('1.152921504606847e+18');
  });

  it('writes booleans, null, lists and dicts (string keys) recursively', () => {
    expect(pythonLiteral(true)).toBe('True');
    expect(pythonLiteral(false)).toBe('False');
    expect(pythonLiteral(null)).toBe('None');
    expect(pythonLiteral([])).toBe('[]');
    expect(pythonLiteral({})).toBe('{}');
    expect(pythonLiteral([1, 'a', [null, 2.5], { k: false }])).toBe('[1, "a", [None, 2.5], {"k": False}]');
    expect(pythonLiteral({ 3: 'x', 'a b': { 'quote"': [NaN] } })).toBe('{"3": "x", "a b": {"quote\\"": [float(\'nan\')]}}');
    expect(pythonLiteral(Object.assign(Object.create(null), { n: 1 }))).toBe('{"n": 1}');
  });

  it.each([
    [undefined, /parameter value is undefined/],
    [() => 1, /is a function/],
    [Symbol('s'), /is a symbol/],
    [new Date(0), /is a Date/],
    [new Map(), /is a Map/],
  ])('refuses %s with ParameterError unsupported-value', (value, message) => {
    const error = (() => {
      try {
        pythonLiteral(value);
      } catch (e) {
        return e as ParameterError;
      }
    })();
    expect(error).toBeInstanceOf(ParameterError);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error!.code).toBe('unsupported-value');
    expect(error!.message).toMatch(message);
  });

  it('names the place of a bad value deep inside, and refuses cycles', () => {
    expect(() => renderPythonParameters({ cfg: { list: [1, undefined as never] } })).toThrow(/parameter cfg\.list\[1\] is undefined/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    const error = (() => {
      try {
        renderPythonParameters({ loop: loop as never });
      } catch (e) {
        return e as ParameterError;
      }
    })();
    expect(error).toMatchObject({ code: 'unsupported-value', parameter: 'loop' });
    expect(error!.message).toMatch(/circular/);
    // The same object twice, side by side, is not a cycle.
    const shared = { a: 1 };
    expect(pythonLiteral([shared, shared])).toBe('[{"a": 1}, {"a": 1}]');
  });
});

describe('renderPythonParameters', () => {
  it("writes papermill's cell: a comment, then one assignment per parameter, in order", () => {
    expect(renderPythonParameters({ alpha: 0.5, name: 'x', n: 3, on: true, none: null })).toBe(
      '# Parameters\nalpha = 0.5\nname = "x"\nn = 3\non = True\nnone = None\n',
    );
  });

  it('leaves out names whose value is undefined, in the cell and in the metadata', () => {
    expect(renderPythonParameters({ a: 1, skipped: undefined, b: 'x' })).toBe('# Parameters\na = 1\nb = "x"\n');
    const n = nb([]);
    recordParameters(n, { a: 1, skipped: undefined });
    expect(n.metadata.papermill).toEqual({ parameters: { a: 1 } });
  });

  it.each(['bad name', '1x', 'class', 'None', 'a-b', '', 'x.y'])('refuses %j as a name with ParameterError invalid-name', (name) => {
    const error = (() => {
      try {
        renderPythonParameters({ [name]: 1 });
      } catch (e) {
        return e as ParameterError;
      }
    })();
    expect(error).toBeInstanceOf(ParameterError);
    expect(error).toMatchObject({ code: 'invalid-name', parameter: name });
  });

  it('accepts what Python accepts as names: underscores, Unicode letters, soft keywords', () => {
    for (const name of ['_', '_private', 'x1', 'größe', 'π', 'match', 'case', 'type', '__proto__']) expect(isPythonIdentifier(name), name).toBe(true);
  });
});

describe('typedParameter (-p NAME VALUE, as papermill types it)', () => {
  it.each([
    ['True', true],
    ['False', false],
    ['None', null],
    ['42', 42],
    [' 42 ', 42],
    ['1_000', 1000],
    ['-7', -7],
    ['\u0663', 3],
    ['0.5', new PythonFloat(0.5)],
    ['2.0', new PythonFloat(2)],
    ['1e3', new PythonFloat(1000)],
    ['.5', new PythonFloat(0.5)],
    ['5.', new PythonFloat(5)],
    ['1_0.5', new PythonFloat(10.5)],
    ['1e400', new PythonFloat(Infinity)],
    ['nan', new PythonFloat(NaN)],
    ['-Infinity', new PythonFloat(-Infinity)],
    ['+inf', new PythonFloat(Infinity)],
    ['0x10', '0x10'],
    ['true', 'true'],
    ['1__0', '1__0'],
    ['hello world', 'hello world'],
    [' padded ', ' padded '],
    ['', ''],
  ])('%j', (text, value) => {
    expect(typedParameter(text)).toEqual(value);
  });

  it('keeps ints beyond 2^53 exact as bigints', () => {
    expect(typedParameter('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
    expect(pythonLiteral(typedParameter('-9007199254740993'))).toBe('-9007199254740993');
  });
});

const cell = (source: string, tags?: string[], type: 'code' | 'markdown' = 'code'): ICell =>
  type === 'code'
    ? { cell_type: 'code', id: `c-${source}`, source, metadata: tags ? { tags } : {}, outputs: [], execution_count: null }
    : { cell_type: 'markdown', id: `m-${source}`, source, metadata: tags ? { tags } : {} };
const nb = (cells: ICell[], minor = 5): INotebookContent => ({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells });
const sources = (n: INotebookContent) => n.cells.map((c) => c.source);

describe('injectParameters', () => {
  it('puts the cell right after the cell tagged parameters, with a fresh 8-hex id and the tag', () => {
    const n = nb([cell('import x'), cell('alpha = 1', ['parameters']), cell('use(alpha)')]);
    expect(injectParameters(n, '# Parameters\nalpha = 2\n')).toBe(2);
    expect(sources(n)).toEqual(['import x', 'alpha = 1', '# Parameters\nalpha = 2\n', 'use(alpha)']);
    const injected = n.cells[2]!;
    expect(injected).toMatchObject({ cell_type: 'code', metadata: { tags: ['injected-parameters'] }, outputs: [], execution_count: null });
    expect(injected.id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('puts it at the top when no cell is tagged parameters', () => {
    const n = nb([cell('a'), cell('b', ['other'])]);
    expect(injectParameters(n, 'p = 1\n')).toBe(0);
    expect(sources(n)).toEqual(['p = 1\n', 'a', 'b']);
  });

  it('finds a parameters tag on any cell, among other tags', () => {
    const n = nb([cell('intro', ['x', 'parameters'], 'markdown'), cell('b')]);
    expect(injectParameters(n, 'p = 1\n')).toBe(1);
  });

  it('replaces an earlier injected cell in place on a re-run instead of adding a second', () => {
    const n = nb([cell('defaults', ['parameters']), cell('body')]);
    injectParameters(n, 'p = 1\n');
    (n.cells[1] as { outputs: unknown[] }).outputs = [{ output_type: 'stream', name: 'stdout', text: 'old' }];
    const again = structuredClone(n);
    expect(injectParameters(again, 'p = 2\n')).toBe(1);
    expect(sources(again)).toEqual(['defaults', 'p = 2\n', 'body']);
    expect(again.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes('injected-parameters'))).toHaveLength(1);
    expect((again.cells[1] as { outputs: unknown[] }).outputs).toEqual([]);
  });

  it('adds no id to an nbformat 4.4 notebook, whose cells have none', () => {
    const n = nb([cell('a')], 4);
    injectParameters(n, 'p = 1\n');
    expect('id' in n.cells[0]!).toBe(false);
  });
});

describe('recordParameters', () => {
  it("records the values in metadata.papermill.parameters, keeping other papermill metadata, as valid JSON JavaScript reads exactly", () => {
    const n = nb([]);
    n.metadata.papermill = { input_path: 'in.ipynb' };
    recordParameters(n, { a: 1, f: new PythonFloat(2), s: 'x', big: 123456789012345678901234567890n, odd: [NaN, -Infinity, Infinity], d: { k: null } });
    expect(n.metadata.papermill).toEqual({
      input_path: 'in.ipynb',
      parameters: { a: 1, f: 2, s: 'x', big: '123456789012345678901234567890', odd: ['nan', '-inf', 'inf'], d: { k: null } },
    });
    expect(JSON.parse(JSON.stringify(n.metadata))).toEqual(n.metadata);
  });
});
