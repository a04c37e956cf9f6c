/**
 * The typed error for each way an HTTP request goes wrong, built where secrets are scrubbed: an
 * error status, a login page where the API should have answered, a 2xx that is not the JSON it
 * should be, and no answer at all.
 */
import {
  APIConnectionError,
  AuthenticationError,
  InvalidResponseError,
  errorClassFor,
  type APIError,
  type APIErrorInit,
} from './errors.js';
import { MASK, redactValue, scrubbedError } from './redact.js';

/** What a platform's error body says, pulled out by its own parser. */
export interface ParsedErrorBody {
  message?: string | undefined;
  reason?: string | undefined;
  /** What went wrong when the message alone does not say (the last line of a traceback). */
  detail?: string | undefined;
}

/** The request an error is about, and how to scrub what goes into it. */
export interface ErrorContext {
  method: string;
  /** The request URL, already redacted. */
  url: string;
  redact: (text: string) => string;
}

const CREDENTIAL_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|x-xsrf-?token)$/i;

/** Status, method, URL, body and headers of an answer, with credentials scrubbed. */
function errorInit(ctx: ErrorContext, response: Response, body: unknown): APIErrorInit {
  const headers: Record<string, string> = {};
  // A server or proxy may echo credentials in a header (a redirect Location with ?token=, ...),
  // and Jupyter answers even errors with a login cookie that works as well as the token.
  response.headers.forEach((v, k) => (headers[k] = CREDENTIAL_HEADER.test(k) ? MASK : ctx.redact(v)));
  const redacted = typeof body === 'string' ? ctx.redact(body) || undefined : redactValue(body, ctx.redact);
  return { status: response.status, method: ctx.method, url: ctx.url, body: redacted, headers };
}

/** The APIError subclass of an error status, with what the server's body says. */
export function statusError(ctx: ErrorContext, response: Response, body: unknown, parse: (body: unknown) => ParsedErrorBody): APIError {
  const init = errorInit(ctx, response, body);
  const parsed = parse(init.body);
  const Cls = errorClassFor(response.status);
  return new Cls({ ...init, serverMessage: parsed.message, reason: parsed.reason ?? (response.statusText || undefined), detail: parsed.detail });
}

/**
 * A login form where the API should have answered: a redirect to a `/login` page (Jupyter Server,
 * JupyterHub: what a stopped user server answers a bad token with), or an HTML page with a password field.
 */
export function isLoginPage(response: Response, text: string | undefined): boolean {
  if (response.redirected && /\/login\/?$/.test(new URL(response.url).pathname)) return true;
  return /html/i.test(response.headers.get('content-type') ?? '') && /<input[^>]*type=["']?password/i.test(text ?? '');
}

export function loginPageError(ctx: ErrorContext, response: Response, text: string | undefined): AuthenticationError {
  const where = response.redirected ? ` (redirected to ${ctx.redact(response.url)})` : '';
  return new AuthenticationError(
    { ...errorInit(ctx, response, text), reason: 'login page' },
    `${ctx.method} ${ctx.url} was answered with a login page${where}: the token is missing, wrong or expired`,
  );
}

/** A 2xx whose body is not JSON, or is empty, where a model was due; the message quotes a short excerpt. */
export function invalidResponseError(ctx: ErrorContext, response: Response, text: string): InvalidResponseError {
  const init = errorInit(ctx, response, text);
  const type = response.headers.get('content-type')?.split(';')[0] || 'no content type';
  const excerpt = typeof init.body === 'string' ? init.body.slice(0, 120).replace(/\s+/g, ' ') : '';
  const what = excerpt ? `${type} that is not JSON: ${JSON.stringify(excerpt)}` : 'with an empty body where JSON was due';
  return new InvalidResponseError(init, `${response.status} ${ctx.method} ${ctx.url} answered ${what}`);
}

// Connection errors that a retry cannot fix.
const FINAL = new WeakSet<APIConnectionError>();

/** Whether retrying the request that failed with `error` could help. */
export function mayRetry(error: APIConnectionError): boolean {
  return !FINAL.has(error);
}

/**
 * The error for a request that got no answer, keeping what fetch threw as its cause. A browser
 * reports a request its CORS check refused as a bare TypeError, like an unreachable server;
 * across origins it is the likelier of the two, so the message says so, and retrying cannot help.
 */
export function connectionError(ctx: ErrorContext, cause: unknown): APIConnectionError {
  const c = cause as { message?: string; cause?: { message?: string } } | undefined;
  const why = ctx.redact(String(c?.cause?.message ?? c?.message ?? cause));
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  const cors = cause instanceof TypeError && !!page && page !== 'null' && new URL(ctx.url).origin !== page;
  const hint = cors
    ? ` (the browser may have blocked it by CORS: the server must allow this page's origin ${page}, e.g. jupyter server --ServerApp.allow_origin=${page})`
    : '';
  const error = new APIConnectionError(`${ctx.method} ${ctx.url} failed to connect: ${why}${hint}`, {
    method: ctx.method,
    url: ctx.url,
    cause: scrubbedError(cause, ctx.redact),
  });
  if (cors) FINAL.add(error);
  return error;
}

/** Jupyter's `{message, reason}` bodies; HTML error pages reduce to their heading (or title). */
export function parseJupyterErrorBody(body: unknown): ParsedErrorBody {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const message = str(b.message) ?? str(b.short_message) ?? str(b.error);
    // A 500 from an uncaught exception says only "Unhandled error"; its traceback's last line names
    // the exception ("jupyter_client.kernelspec.NoSuchKernel: No such kernel named nope").
    const last = str(b.traceback)?.trim().split('\n').pop()?.trim().slice(0, 300);
    const generic = !message || /^unhandled error$/i.test(message);
    return { message, reason: str(b.reason), detail: generic && last ? last : undefined };
  }
  if (typeof body === 'string') {
    // Jupyter's HTML error page is titled just "Jupyter Server"; the status sits in its <h1> ("404 : Not Found").
    const tag = (name: string) => new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`, 'i').exec(body)?.[1];
    const html = tag('h1') ?? tag('title');
    const message =
      html === undefined
        ? body.trim().slice(0, 300)
        : html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().replace(/^\d{3}(?:\s*:\s*|\s+)/, '').slice(0, 300);
    return { message: message || undefined };
  }
  return {};
}
