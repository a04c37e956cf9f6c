/**
 * Notebook parameters, papermill's convention: the values go into a new code cell tagged
 * `injected-parameters`, right after the cell tagged `parameters` (at the top when there is none),
 * written as literals of the kernel's language, and are recorded in `metadata.papermill.parameters`
 * so tools that read papermill output read ours. Pure: nothing here talks to a server.
 */
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { InvalidArgumentError } from '../core/errors.js';
import { cellTags } from './cells.js';

/** Tag of the cell that holds a notebook's default parameters. */
export const PARAMETERS_TAG = 'parameters';
/** Tag of the cell the runner adds with the values given. */
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

/**
 * A number that is written as a Python float even when it is integral: JavaScript has one number
 * type, so `2` is written as the int `2`; `new PythonFloat(2)` is written as `2.0`.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
  /** The value as recorded in `metadata.papermill.parameters`: the number, or `"nan"`/`"inf"`/`"-inf"` where JSON has no literal. */
  toJSON(): number | string {
    return jsonNumber(this.value);
  }
}

/**
 * A parameter value: strings, numbers (integral safe integers are Python ints, other numbers
 * floats; `NaN` and the infinities become `float('nan')`, `float('inf')`, `float('-inf')`), bigints
 * (ints of any size), booleans, `null` (`None`), {@link PythonFloat}, arrays (lists) and plain
 * objects (dicts with string keys).
 */
export type ParameterValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | PythonFloat
  | readonly ParameterValue[]
  | { readonly [key: string]: ParameterValue };

/**
 * Parameters by name, in the order their assignments are written. A name whose value is
 * `undefined` is left out, as JSON leaves it out (so `{ growth: options.growth }` works).
 */
export type Parameters = Readonly<Record<string, ParameterValue | undefined>>;

/** What a {@link ParameterRenderer} is told about the kernel. */
export interface ParameterRenderContext {
  /** The kernel's language, from its kernelspec (e.g. `python`, `R`), when known. */
  language: string | undefined;
  /** The kernelspec that will run the notebook. */
  kernelName: string;
}

/** Turns parameters into the source of the injected cell, for kernels the runner has no literals for. */
export type ParameterRenderer = (parameters: Parameters, context: ParameterRenderContext) => string;

/** Why parameters were refused. */
export type ParameterErrorCode = 'invalid-name' | 'unsupported-value' | 'unsupported-language' | 'renderer-failed';

/**
 * Parameters that cannot be written into the notebook, refused before any kernel starts: a name
 * that is not a Python identifier (`invalid-name`), a value with no Python literal
 * (`unsupported-value`: `undefined`, functions, symbols, `Date`, `Map`, class instances, cycles),
 * a kernel language the runner has no literals for and no `renderParameters` was given
 * (`unsupported-language`), or a `renderParameters` that threw or returned no string
 * (`renderer-failed`, its error as `cause`).
 */
export class ParameterError extends InvalidArgumentError {
  override name = 'ParameterError';
  readonly code: ParameterErrorCode;
  /** The parameter at fault, for `invalid-name` and `unsupported-value`. */
  readonly parameter: string | undefined;
  /** The kernel's language, for `unsupported-language`. */
  readonly language: string | undefined;

  constructor(
    message: string,
    init: { code: ParameterErrorCode; parameter?: string | undefined; language?: string | undefined; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.code = init.code;
    this.parameter = init.parameter;
    this.language = init.language;
  }
}

// Python 3.11's hard keywords: assigning to one is a SyntaxError. Soft keywords (match, case, _,
// type) are ordinary names.
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Whether `name` can be assigned to in Python (`str.isidentifier()` and not a keyword). */
export function isPythonIdentifier(name: string): boolean {
  // Python compares identifiers after NFKC normalisation, and so checks the normalised form.
  return /^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(name.normalize('NFKC')) && !PYTHON_KEYWORDS.has(name);
}

/**
 * The injected cell's source for a Python kernel, as papermill writes it: `# Parameters` and one
 * `name = literal` line per parameter.
 * @throws ParameterError for a name that is not an identifier or a value with no Python literal
 */
export function renderPythonParameters(parameters: Parameters): string {
  let source = '# Parameters\n';
  for (const [name, value] of definedEntries(parameters)) {
    if (!isPythonIdentifier(name)) {
      throw new ParameterError(`parameter name ${JSON.stringify(name)} is not a valid Python identifier`, {
        code: 'invalid-name',
        parameter: name,
      });
    }
    source += `${name} = ${pythonLiteral(value, name, [])}\n`;
  }
  return source;
}

/**
 * A Python literal for `value`, written as papermill writes it (strings double-quoted through
 * `unicode_escape`, floats as Python's `repr`, dict keys as strings).
 * @throws ParameterError for a value with no Python literal
 */
export function pythonLiteral(value: unknown, path = 'value', seen: object[] = []): string {
  switch (typeof value) {
    case 'string':
      return pythonString(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloat(value);
    case 'object': {
      if (value === null) return 'None';
      if (value instanceof PythonFloat) return pythonFloat(value.value);
      if (seen.includes(value)) throw unsupported(path, 'a circular reference');
      const inner = [...seen, value];
      if (Array.isArray(value)) return `[${value.map((v, i) => pythonLiteral(v, `${path}[${i}]`, inner)).join(', ')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw unsupported(path, `a ${kind}`);
      }
      const entries = Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonLiteral(v, `${path}.${k}`, inner)}`);
      return `{${entries.join(', ')}}`;
    }
    default:
      throw unsupported(path, typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`);
  }
}

function unsupported(path: string, what: string): ParameterError {
  const parameter = /^[^.[]*/.exec(path)![0];
  return new ParameterError(`parameter ${path} is ${what}, which has no Python literal`, { code: 'unsupported-value', parameter });
}

/** Python's `str.encode('unicode_escape')` with `"` escaped, in double quotes (papermill's `translate_escaped_str`). */
export function pythonString(text: string): string {
  let out = '"';
  // for...of walks code points; a lone surrogate comes through alone and is written as \udXXX.
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0x100)) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x80) out += ch;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "float('-inf')";
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without digits gives the shortest digits that round-trip, as repr does.
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  const sign = x < 0 ? '-' : '';
  const decpt = e + 1;
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/**
 * Puts the injected cell into `nb` (changed in place): in place of an earlier `injected-parameters`
 * cell, else right after the first cell tagged `parameters`, else at the top. The new cell has a
 * fresh 8-hex id when the notebook's format has cell ids (nbformat 4.5+).
 * @returns the index of the injected cell
 */
export function injectParameters(nb: INotebookContent, source: string): number {
  const cell: ICodeCell = {
    cell_type: 'code',
    execution_count: null,
    metadata: { tags: [INJECTED_PARAMETERS_TAG] },
    outputs: [],
    source,
  };
  if (nb.nbformat === 4 && (nb.nbformat_minor ?? 0) >= 5) cell.id = freshCellId(nb);
  const injected = nb.cells.findIndex((c) => cellTags(c).includes(INJECTED_PARAMETERS_TAG));
  if (injected >= 0) {
    nb.cells[injected] = cell;
    return injected;
  }
  const at = nb.cells.findIndex((c) => cellTags(c).includes(PARAMETERS_TAG)) + 1;
  nb.cells.splice(at, 0, cell);
  return at;
}

function freshCellId(nb: INotebookContent): string {
  const taken = new Set(nb.cells.map((c) => c.id));
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(4));
    const id = Array.from(bytes, (b) => hex(b, 2)).join('');
    if (!taken.has(id)) return id;
  }
}

/**
 * Records the parameters in `nb.metadata.papermill.parameters`, where papermill does, keeping any
 * other papermill metadata. Unlike papermill the file stays valid JSON that JavaScript reads
 * exactly: NaN and the infinities are written as the strings `"nan"`, `"inf"`, `"-inf"`, and ints
 * beyond 2^53 as decimal strings.
 */
export function recordParameters(nb: INotebookContent, parameters: Parameters): void {
  const previous = nb.metadata.papermill;
  const papermill = previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous } : {};
  nb.metadata.papermill = { ...papermill, parameters: jsonValue(Object.fromEntries(definedEntries(parameters))) as Record<string, never> };
}

/** The parameters that have a value, in order. */
export function definedEntries(parameters: Parameters): Array<[string, ParameterValue]> {
  return Object.entries(parameters).filter((e): e is [string, ParameterValue] => e[1] !== undefined);
}

function jsonValue(value: unknown): unknown {
  if (typeof value === 'number') return jsonNumber(value);
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value.toString();
  if (value instanceof PythonFloat) return jsonNumber(value.value);
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  return value;
}

function jsonNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}
