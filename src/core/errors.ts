/**
 * One error hierarchy for every client in the SDK (Jupyter Server, MLW, WNology, kernel channels).
 * `instanceof` works across ESM and CJS builds of the same file; `name` is set for logs.
 */

/** Root of every error this SDK throws. */
export class JupyterSDKError extends Error {
  override name = 'JupyterSDKError';
}

/** Bad input refused before any request was sent (an empty id, a `..` path segment, ...). */
export class InvalidArgumentError extends JupyterSDKError {
  override name = 'InvalidArgumentError';
}

/** Details a server sent with an error response, parsed defensively (JSON, text or nothing). */
export interface APIErrorInit {
  status: number;
  /** The server's message, e.g. Jupyter's `message` or WNology's `message`. */
  serverMessage?: string | undefined;
  /** Jupyter's `reason` (often null) or MLW's `reason`. */
  reason?: string | undefined;
  method: string;
  /** Request URL with tokens and passwords redacted. */
  url: string;
  /** Parsed error body (JSON object, text or undefined), secrets redacted. */
  body?: unknown;
  /** Response headers, as a plain object. */
  headers?: Record<string, string>;
  /** Added to the message in parentheses when the server's message alone does not say what failed. */
  detail?: string | undefined;
}

/** The server answered with a non-2xx status. */
export class APIError extends JupyterSDKError {
  override name = 'APIError';
  // `declare`: set by the constructor, so no class field definitions need emitting.
  declare readonly status: number;
  declare readonly serverMessage: string | undefined;
  declare readonly reason: string | undefined;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly body: unknown;
  declare readonly headers: Record<string, string>;

  constructor(init: APIErrorInit, message?: string) {
    super(message ?? `${init.status} ${init.serverMessage || init.reason || statusText(init.status)}${init.detail ? ` (${init.detail})` : ''}`);
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.reason = init.reason;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.headers = init.headers ?? {};
  }
}

/** 400: the server refused the request as malformed. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/** 401: no or bad credentials; also a login page answered where the API should have (a redirect to `/login`). */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** 403: Jupyter Server answers a missing or wrong token with 403. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** 404: the file, kernel, session, terminal or route does not exist. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** 409: the target exists (a rename or copy onto an existing file). */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** 422: the body was understood but refused. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
/**
 * 424: the JupyterHub user server a request went to is not running (the hub answers in its place,
 * "server no longer running"). Start it through the hub, then retry.
 */
export class ServerNotRunningError extends APIError {
  override name = 'ServerNotRunningError';
}
/** 429: too many requests. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** 5xx: the server failed. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/**
 * A 2xx answer that is not what the API sends: not JSON (an HTML page from a proxy, a truncated
 * body) or empty where a model was due. `body` holds a redacted excerpt of what came instead.
 */
export class InvalidResponseError extends APIError {
  override name = 'InvalidResponseError';
}

/** The request never got an HTTP answer (refused, reset, DNS, ...). */
export class APIConnectionError extends JupyterSDKError {
  override name = 'APIConnectionError';
  declare readonly method: string | undefined;
  declare readonly url: string | undefined;
  constructor(message: string, init: { method?: string; url?: string; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
  }
}

/** The request took longer than its `timeout`. Distinct from a caller's abort. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
}

/** The caller aborted the request through its `AbortSignal`. */
export class APIUserAbortError extends JupyterSDKError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A `waitFor…` call gave up: what it waited for had not happened when its `timeout` passed. In
 * every such method `timeout` is the whole wait, in ms from the call (see `WaitOptions`).
 */
export class WaitTimeoutError extends JupyterSDKError {
  override name = 'WaitTimeoutError';
  /** Milliseconds waited. */
  declare readonly timeout: number;
  constructor(message: string, timeout: number) {
    super(message);
    this.timeout = timeout;
  }
}

/** A kernel or terminal WebSocket failed: closed, dropped for good, malformed frame, kernel died or restarted. */
export class KernelChannelError extends JupyterSDKError {
  override name = 'KernelChannelError';
  /** Why the channel failed, for programmatic checks. */
  declare readonly code: KernelChannelErrorCode;
  constructor(message: string, code: KernelChannelErrorCode = 'closed', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Machine-readable reason carried by {@link KernelChannelError}. */
export type KernelChannelErrorCode =
  | 'closed'
  | 'connect-failed'
  | 'reconnect-failed'
  | 'restarted'
  | 'dead'
  | 'malformed'
  | 'timeout'
  /** The request's reply was lost with a dropped socket (the server could not replay it). */
  | 'lost';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'status code';
}

/** The APIError subclass for an HTTP status. */
export function errorClassFor(status: number): typeof APIError {
  return BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}

const BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  424: ServerNotRunningError,
  429: RateLimitError,
};

/**
 * The server does not offer what was asked: a feature of a later Jupyter Server (the events API
 * and its socket are 2.x only). Thrown instead of the bare 404 or failed handshake the server gives.
 */
export class NotSupportedError extends JupyterSDKError {
  override name = 'NotSupportedError';
  /** What is missing, e.g. `events`. */
  declare readonly feature: string;
  /** The server's version (`GET /api`), when it could be read. */
  declare readonly serverVersion: string | undefined;
  constructor(message: string, init: { feature: string; serverVersion?: string | undefined; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.feature = init.feature;
    this.serverVersion = init.serverVersion;
  }
}
