/**
 * What a user server's requests meet when they go through JupyterHub's proxy and the server is
 * not running: the hub answers in its place. GETs are redirected to the hub, which answers 424
 * "server no longer running" (typed by the core as `ServerNotRunningError`). Any other method
 * gets the hub's HTML 405 page straight away (JupyterHub 3.0: its `/user/...` fallback handles
 * GET only); that page is turned into the same 424 here, so a write to a stopped server fails
 * the way a read does.
 */
export function hubAwareFetch(getFetch: () => typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await getFetch()(input, init);
    if (response.status !== 405 || !/text\/html/i.test(response.headers.get('content-type') ?? '')) return response;
    const page = await response.clone().text();
    if (!/<title>\s*JupyterHub\s*<\/title>/i.test(page)) return response;
    const path = new URL(response.url || String(input instanceof Request ? input.url : input)).pathname;
    const message = `JupyterHub server no longer running at ${path} (the hub refused ${init?.method ?? 'the request'} in its place: start the server, then retry)`;
    return new Response(JSON.stringify({ message, reason: 'server not running' }), {
      status: 424,
      statusText: 'Failed Dependency',
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** URL path of a user's server under the hub: `/user/<name>/` or `/user/<name>/<server>/`, each name one escaped segment. */
export function userServerPath(user: string, server: string): string {
  return `/user/${encodeURIComponent(user)}/${server ? `${encodeURIComponent(server)}/` : ''}`;
}
