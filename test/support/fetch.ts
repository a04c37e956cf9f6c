/**
 * The request a fetch implementation was given, whichever form the caller used: fetch accepts a
 * `Request` (what openapi-fetch passes) as well as a URL with a `RequestInit`.
 */
export function asRequest(input: string | URL | Request, init?: RequestInit): Request {
  return input instanceof Request && !init ? input : new Request(input, init);
}
