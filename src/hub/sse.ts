/**
 * Reads a `text/event-stream` body into the JSON objects of its `data:` fields, one per event,
 * until the body ends or `signal` aborts (the iteration then just ends: the caller checks the signal).
 * JupyterHub writes `data: {...}` then an empty line per event, and bare empty lines as
 * keep-alives; comments (`:`), `event:`, `id:` and `retry:` fields carry nothing it uses.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  const reader = body.getReader();
  // Cancelling ends a pending read at once, whatever the fetch behind the body does with its own
  // signal once the headers are in (MSW's and some polyfills' do nothing).
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // A CR may be the first half of a CRLF split across chunks: keep it until the next one.
      let end: number;
      while ((end = lineEnd(buffer)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1);
        if (line === '') {
          const event = dispatch(data);
          data = [];
          if (event) yield event;
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line[5] === ' ' ? 6 : 5));
        }
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Breaking out of the loop (or an abort) closes the connection instead of leaving it open.
    // Not awaited: a body whose source never settles its cancel would hold the caller here.
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function lineEnd(buffer: string): number {
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer[i];
    if (c === '\n') return i;
    if (c === '\r') return i + 1 < buffer.length ? i : -1;
  }
  return -1;
}

/** The event's JSON object; an event without data, or whose data is not a JSON object, carries nothing. */
function dispatch(data: string[]): Record<string, unknown> | undefined {
  if (data.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(data.join('\n'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
