import { APIError } from '../core/errors.js';
import { parseJupyterErrorBody, type ParsedErrorBody } from '../core/api-errors.js';
import type { MlwValidationIssue } from './models.js';

/** The fields of every MLW error body family, as found on an error's `body`. */
export interface MlwErrorFields {
  /** Cumulocity's `<area>/<code>`, e.g. `general/internalError`. */
  error?: string | undefined;
  message?: string | undefined;
  /** Cumulocity's link to the error docs, or MLW's list of validation problems. */
  info?: string | MlwValidationIssue[] | undefined;
  /** Jupyter's reason, passed through (usually null). */
  reason?: string | null | undefined;
  /** MLW's repeat of the HTTP status. */
  errorCode?: number | undefined;
  /** MLW's short label, e.g. `Contact Admin for Support`. */
  exception?: string | undefined;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/**
 * Reads MLW's error bodies: Cumulocity `{error, message, info}`, MLW `{message, errorCode, exception}`,
 * validation `{error, message: "Variable issue", info: [{loc, msg}]}` and Jupyter `{message, reason}`.
 * The message is the body's `message` (with the validation problems appended); the reason is
 * Jupyter's `reason`, else MLW's `exception`, else Cumulocity's `error` code.
 */
export function parseMlwErrorBody(body: unknown): ParsedErrorBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return parseJupyterErrorBody(body);
  const b = body as Record<string, unknown>;
  let message = str(b.message) ?? str(b.error);
  if (Array.isArray(b.info) && b.info.length) {
    const issues = (b.info as MlwValidationIssue[])
      .map((i) => [Array.isArray(i?.loc) ? i.loc.join('.') : undefined, i?.msg].filter(Boolean).join(': '))
      .filter(Boolean);
    if (issues.length) message = message ? `${message}: ${issues.join('; ')}` : issues.join('; ');
  }
  return { message, reason: str(b.reason) ?? str(b.exception) ?? str(b.error) };
}

/**
 * The platform's own fields of an error thrown by {@link MlwClient} (empty for other errors).
 * @example
 * catch (e) { if (e instanceof APIError) console.log(mlwErrorDetails(e).exception); }
 */
export function mlwErrorDetails(err: unknown): MlwErrorFields {
  const body = err instanceof APIError ? err.body : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const out: MlwErrorFields = {};
  if (typeof b.error === 'string') out.error = b.error;
  if (typeof b.message === 'string') out.message = b.message;
  if (typeof b.info === 'string' || Array.isArray(b.info)) out.info = b.info as MlwErrorFields['info'];
  if (typeof b.reason === 'string' || b.reason === null) out.reason = b.reason;
  if (typeof b.errorCode === 'number') out.errorCode = b.errorCode;
  if (typeof b.exception === 'string') out.exception = b.exception;
  return out;
}
