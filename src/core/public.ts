/** What every entry point of the package exports from the core: the error classes and the per-call options. */
export {
  JupyterSDKError,
  InvalidArgumentError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  ServerNotRunningError,
  RateLimitError,
  InternalServerError,
  InvalidResponseError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  KernelChannelError,
  WaitTimeoutError,
  NotSupportedError,
  type APIErrorInit,
  type KernelChannelErrorCode,
} from './errors.js';
export type { RequestOptions } from './http.js';
export type { WaitOptions } from './deadline.js';
export type { ClientOptions, TokenSource } from './client-base.js';
