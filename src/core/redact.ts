/**
 * Secrets never leave the SDK in an error, a log line or a message. Redaction happens where an
 * error is built, so every path (REST, WebSocket, platforms) shares it.
 */

export const MASK = '***';
// Query parameters and JSON-ish keys whose values are credentials.
const SECRET_PARAM = /([?&](?:token|access_token|password|_xsrf|api_key|apikey)=)[^&#\s"']*/gi;
// A credential after an auth scheme: long, or with a digit, so prose like "Invalid token format" survives.
const AUTH_VALUE = /\b(token|bearer|basic)\s+(?=[A-Za-z0-9._~+/=-]*\d|[A-Za-z0-9._~+/=-]{16})[A-Za-z0-9._~+/=-]{4,}/gi;
// Basic credentials are base64 of `user:password`, which may be short and digit-free.
const BASIC_VALUE = /\b(basic)\s+([A-Za-z0-9+/]{4,}={0,2})/gi;
const URL_USERINFO = /(\/\/)[^/@\s:]+:[^/@\s]+@/g;

// Secrets shorter than this are masked only as whole tokens: as substrings they would mangle words.
const SHORT_SECRET = 4;

/**
 * Replaces the given secrets and anything shaped like a credential in `text`. A secret of 4
 * characters or more is masked wherever it appears, also percent-, form-, HTML- or JSON-escaped
 * (Jupyter's HTML error page embeds the token URL-encoded in one attribute and HTML-escaped in a
 * link); a shorter one (a 3-letter password, say) only
 * where it stands alone, between characters that are not letters or digits (`ana:abc`, `"abc"`,
 * `%3Aabc`), so that `abc` is masked but `abcdef` is left alone.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Longest first: masking a secret inside a longer one first would leave the rest of it behind.
  const sorted = [...new Set(secrets.filter((v): v is string => typeof v === 'string' && v !== ''))].sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    out = out.replace(secret.length >= SHORT_SECRET ? anyEscaping(secret) : wholeToken(secret), MASK);
  }
  return out
    .replace(SECRET_PARAM, `$1${MASK}`)
    .replace(AUTH_VALUE, `$1 ${MASK}`)
    .replace(BASIC_VALUE, (all, scheme: string, value: string) => (isUserPass(value) ? `${scheme} ${MASK}` : all))
    .replace(URL_USERINFO, `$1${MASK}@`);
}

/** Deep-copies a parsed JSON value with every string passed through `scrub` and credential-named keys masked. */
export function redactValue<T>(value: T, scrub: (text: string) => string = redact): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, scrub)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /^(authorization|password|token|x-xsrf-?token|cookie)$/i.test(k) ? MASK : redactValue(v, scrub);
    }
    return out as T;
  }
  return value;
}

const NAMED_ENTITY: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };
const JSON_ESCAPE: Record<string, string> = { '"': '\\\\"', '\\': '\\\\\\\\', '/': '\\\\/' };

/** Matches `secret` with each of its characters as is or escaped in any of the ways pages and bodies escape them. */
function anyEscaping(secret: string): RegExp {
  let source = '';
  for (const ch of secret) {
    if (/[A-Za-z0-9]/.test(ch)) {
      source += ch;
      continue;
    }
    const code = ch.codePointAt(0)!;
    const forms = [ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')];
    forms.push([...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    forms.push(`&#0*${code};`, `&#x0*${code.toString(16)};`);
    if (NAMED_ENTITY[ch]) forms.push(`&${NAMED_ENTITY[ch]};`);
    if (code < 0x10000) forms.push(`\\\\u${code.toString(16).padStart(4, '0')}`);
    if (JSON_ESCAPE[ch]) forms.push(JSON_ESCAPE[ch]);
    if (ch === ' ') forms.push('\\+');
    source += `(?:${forms.join('|')})`;
  }
  return new RegExp(source, 'gi');
}

/** Matches `secret` not preceded or followed by a letter or digit (a `%XX` escape before it counts as a separator). */
function wholeToken(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:(?<=%[0-9A-Fa-f]{2})|(?<![\\p{L}\\p{N}]))${escaped}(?![\\p{L}\\p{N}])`, 'gu');
}

function isUserPass(value: string): boolean {
  try {
    return atob(value).includes(':');
  } catch {
    return false;
  }
}

/**
 * An error as it was thrown, unless it quotes a credential (a message naming the request's URL or
 * headers): then a copy with the same class, its message, stack, string fields and cause redacted.
 */
export function scrubbedError(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrub(error) : error;
  const cause = error.cause === undefined ? undefined : scrubbedError(error.cause, scrub);
  const text = `${error.message}\n${error.stack ?? ''}`;
  if (scrub(text) === text && cause === error.cause) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  for (const [key, value] of Object.entries(error)) copy[key] = typeof value === 'string' ? scrub(value) : value;
  for (const [key, value] of [['message', scrub(error.message)], ['stack', scrub(error.stack ?? '')], ['cause', cause]] as const) {
    if (value !== undefined) Object.defineProperty(copy, key, { value, writable: true, configurable: true });
  }
  return copy;
}
