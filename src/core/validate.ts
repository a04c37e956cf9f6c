import { InvalidArgumentError } from './errors.js';
import { checkWellFormed } from './operation.js';

/** Refuses an id that cannot name anything: empty, blank, `.`, `..`, or containing `/` (which would change the route). */
export function requireId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new InvalidArgumentError(`${what} must be a non-empty string`);
  if (value.includes('/')) throw new InvalidArgumentError(`${what} must not contain "/": ${JSON.stringify(value)}`);
  // URL parsing resolves `.` and `..` segments (even percent-encoded), so `/api/kernels/..` would reach `/api`.
  if (value === '.' || value === '..') throw new InvalidArgumentError(`${what} must not be ${JSON.stringify(value)}`);
  return checkWellFormed(value, what);
}

/**
 * Normalises an API path (`/`-separated, relative to the server root) and refuses `.` and `..`
 * segments, which the server would resolve outside the intended folder or reject.
 */
export function normalizePath(path: unknown, what = 'path'): string {
  if (typeof path !== 'string') throw new InvalidArgumentError(`${what} must be a string`);
  checkWellFormed(path, what);
  const segments = path.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '..' || s === '.') throw new InvalidArgumentError(`${what} must not contain "${s}" segments: ${JSON.stringify(path)}`);
  }
  return segments.join('/');
}

/** Refuses anything but a positive integer. */
export function requirePositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Refuses a name the server cannot route: Jupyter matches terminal names and config sections
 * against `\w+` on the encoded URL, so anything else (a dash, a space, a non-ASCII letter) gets
 * its HTML 404 page, and a terminal created under such a name could never be reached or stopped.
 */
export function requireWord(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^\w+$/.test(value)) {
    throw new InvalidArgumentError(`${what} must be letters, digits and _ only (\\w+), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Refuses, before any request, a base URL that fetch could never send to: one that does not parse
 * (relative ones resolve against the page in a browser), or one carrying `user:password@`, which
 * fetch rejects. Neither message quotes the URL, which may hold the password.
 */
export function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    throw new InvalidArgumentError('baseUrl is not a valid URL (expected e.g. http://127.0.0.1:8888)');
  }
  if (!/^https?:$/.test(url.protocol)) throw new InvalidArgumentError(`baseUrl must be an http: or https: URL, not ${url.protocol}`);
  if (url.username || url.password)
    throw new InvalidArgumentError('baseUrl must not carry user:password@ (fetch refuses such URLs); send credentials in the auth or headers options');
}

/**
 * Refuses header values that fetch cannot send (outside ISO-8859-1, or with line breaks): a
 * caller's mistake, not a connection failure to retry. The value is not quoted: it may be a token.
 */
export function checkHeaders(headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) {
      throw new InvalidArgumentError(`header ${name} holds characters HTTP headers cannot carry (outside ISO-8859-1, or a line break)`);
    }
  }
}
