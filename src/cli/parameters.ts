/**
 * Parameters from the command line, typed as papermill types them: `-p NAME VALUE` (True, False,
 * None, then what Python's int() accepts, then float(), else a string), `-r NAME VALUE` (always a
 * string) and `--parameters-file FILE` (JSON or YAML), merged in papermill's order: files, then
 * `-p`, then `-r`.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { PythonFloat, type ParameterValue, type Parameters } from '../runner/parameters.js';
import { UsageError, type ParameterSource } from './args.js';

// str.strip()'s whitespace: str.isspace() characters.
const PY_SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'gu');
// Digits as int() and float() read them: any Unicode decimal digit, single underscores between.
const DIGITS = '\\p{Nd}(?:_?\\p{Nd})*';
const INT = new RegExp(`^[+-]?${DIGITS}$`, 'u');
const FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`, 'u');
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** papermill's `_resolve_type`: the value `-p NAME VALUE` gives. */
export function typedParameter(text: string): ParameterValue {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  const s = text.replace(STRIP, '');
  if (INT.test(s)) {
    const n = BigInt(asciiDigits(s.replace(/_/g, '')));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (FLOAT.test(s)) return new PythonFloat(Number(asciiDigits(s.replace(/_/g, ''))));
  const special = SPECIAL.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return new PythonFloat(NaN);
    return new PythonFloat(special[1] === '-' ? -Infinity : Infinity);
  }
  return text;
}

/** Maps Unicode decimal digits to ASCII ones (they come in runs of ten, 0 to 9). */
function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    let cp = d.codePointAt(0)!;
    let offset = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
      cp -= 1;
      offset += 1;
    }
    return String(offset % 10);
  });
}

/** Reads a parameters file: a JSON or YAML mapping (YAML's core schema: dates stay strings, as papermill reads them). */
export async function readParametersFile(file: string): Promise<Record<string, ParameterValue>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such parameters file: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.json') value = JSON.parse(text);
    else {
      // js-yaml is bundled into the CLI and loaded only here, so the package gains no runtime
      // dependency and runs that read no YAML never load it. YAML is a superset of JSON.
      const yaml = await import('js-yaml');
      value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
    }
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new UsageError(`${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${reason}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file} must hold a mapping of parameter names to values, not ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value as Record<string, ParameterValue>;
}

/** Merges the sources in papermill's order: files first, then `-p`, then `-r`, each in the order given. */
export async function resolveParameters(sources: readonly ParameterSource[]): Promise<Parameters | undefined> {
  if (sources.length === 0) return undefined;
  const out: Record<string, ParameterValue> = {};
  for (const s of sources) {
    if (s.kind === 'file') for (const [name, value] of Object.entries(await readParametersFile(s.file))) set(out, name, value);
  }
  for (const s of sources) if (s.kind === 'typed') set(out, s.name, typedParameter(s.value));
  for (const s of sources) if (s.kind === 'raw') set(out, s.name, s.value);
  return out;
}

// A parameter may be called __proto__ (a valid Python name): define it, never assign through it.
function set(target: Record<string, ParameterValue>, name: string, value: ParameterValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
