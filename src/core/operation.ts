/**
 * The compile-time link between SDK calls and the OpenAPI specs in spec/: an operation is named by
 * its method and path template as openapi-typescript generated them, and its path parameters,
 * query, JSON body and success body are read off the generated `paths`. A path renamed, a
 * parameter retyped or a response reshaped in the spec then fails to compile where the SDK calls
 * it. Everything here is types, except the path filler and its check.
 */

import { InvalidArgumentError } from './errors.js';

/** An HTTP method as the generated `paths` name it. */
export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The path templates of `Paths` that have an operation for `M`. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends Record<M, object> ? P : never;
}[keyof Paths] &
  string;

/** The operation object of `M` on path `P`. */
export type Operation<Paths, P extends keyof Paths, M extends Method> = Paths[P] extends Record<M, infer O> ? O : never;

type Defined<T> = Exclude<T, undefined>;
type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? Defined<X> : never;
type Body<O> = O extends { requestBody?: infer R }
  ? Defined<R> extends { content: infer C }
    ? C extends { 'application/json': infer B }
      ? B
      : C extends { 'multipart/form-data': infer F }
        ? F
        : never
    : never
  : never;
type HasRequiredBody<O> = O extends { requestBody: object } ? true : false;
type HasRequiredQuery<O> = O extends { parameters: { query: object } } ? true : false;

/**
 * What a call passes besides method and path: path parameters when the template has any, the
 * query when the operation takes one (required when one of its parameters is), and the body (required when the spec requires it). A
 * multipart body is given as `form`, one entry per field the spec names (a `File` keeps its name).
 */
export type CallInput<O> = ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never]
    ? { query?: undefined }
    : HasRequiredQuery<O> extends true
      ? { query: QueryParams<O> }
      : { query?: QueryParams<O> }) &
  ([Body<O>] extends [never]
    ? { body?: undefined }
    : O extends { requestBody?: { content: { 'multipart/form-data': unknown } } }
      ? { form: { [K in keyof Body<O>]: Blob | string } }
      : HasRequiredBody<O> extends true
        ? { body: Body<O> }
        : { body?: Body<O> });

type SuccessStatus = 200 | 201 | 202 | 204;
type JsonOf<R> = R extends { content: { 'application/json': infer T } }
  ? T
  : R extends { content: { [type: string]: infer T } }
    ? T
    : void;

/** The body of a successful answer (200, 201, 202 or 204; `void` when it has none). */
export type Success<O> = O extends { responses: infer R }
  ? { [C in keyof R]: C extends SuccessStatus ? JsonOf<R[C]> : never }[keyof R]
  : never;

// An unpaired UTF-16 surrogate has no UTF-8 form, so no URL can carry it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses a string holding a lone UTF-16 surrogate (e.g. half of an emoji cut by `slice`). */
export function checkWellFormed(value: string, what: string): string {
  if (LONE_SURROGATE.test(value)) throw new InvalidArgumentError(`${what} holds a lone UTF-16 surrogate, which no URL can carry: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Fills the `{name}` placeholders of a path template, each value percent-encoded as one segment,
 * except a parameter named `path` (a contents path), whose `/` separators are kept: encoding it
 * whole would turn `a/b` into `a%2Fb`, which the server reads as one name.
 */
export function fillPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = checkWellFormed(String(params[name]), name);
    return name === 'path' ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
}
