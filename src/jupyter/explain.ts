/**
 * Errors that still say what was asked when the server does not. Jupyter Server 2.x sends an
 * empty traceback with an unhandled error, so a failed kernel start is only `500 Unhandled error`
 * (1.x's traceback named the missing kernelspec), and a few other failures name neither the file
 * nor the kernel.
 */
import { APIError } from '../core/errors.js';

// What Jupyter Server says when it says nothing about what failed: an uncaught exception (2.x
// sends its traceback empty) or a failed restart (both versions, whatever the cause).
const GENERIC = /^(Unhandled error|Exception restarting kernel)$/i;

/**
 * Whether `error` is a 5xx that says nothing but the server's generic words: no traceback line
 * after them, no other message (a proxy's page or a specific message is left alone).
 */
export function saysNothing(error: APIError): boolean {
  return error.status >= 500 && GENERIC.test(error.serverMessage ?? '') && error.message === `${error.status} ${error.serverMessage}`;
}

/**
 * Runs `work`; when it fails with an APIError that `applies` to (by default one that
 * {@link saysNothing}) and whose message names none of `named`, rethrows it as the same class
 * with `(<what>)` added to its message. Every other field stays the server's.
 */
export async function naming<T>(
  work: Promise<T>,
  what: string | ((error: APIError) => string | Promise<string>),
  named: readonly string[],
  applies: (error: APIError) => boolean = saysNothing,
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof APIError) || !applies(error) || named.some((n) => n && error.message.includes(n))) throw error;
    const context = typeof what === 'string' ? what : await what(error);
    throw withContext(error, context);
  }
}

/** A copy of `error` (same class and fields) whose message ends with `(context)`. */
export function withContext<E extends APIError>(error: E, context: string): E {
  return withMessage(error, `${error.message} (${context})`);
}

/** A copy of `error` (same class and fields) with another message. */
export function withMessage<E extends APIError>(error: E, message: string): E {
  // An APIError carries every field its constructor reads; with a message given, none is recomputed.
  const Cls = error.constructor as new (init: APIError, message?: string) => E;
  return new Cls(error, message);
}

/** `'name'`, quoted the way messages quote what was asked. */
export const q = (value: string): string => `'${value}'`;
