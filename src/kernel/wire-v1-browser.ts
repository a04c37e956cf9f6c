/**
 * The `v1.kernel.websocket.jupyter.org` wire format for browsers: the same frames as wire-v1.ts,
 * decoded part by part with the platform's TextDecoder, in a fraction of the code (the Node
 * decoder's fast paths are for Node's Buffer and its per-message CPU). Buffers are views into the
 * frame. Swapped in for wire-v1.ts by the browser build.
 */
import type { Channel, Message } from './messages.js';
import { checkMessage, NO_BUFFERS, partOffsets, partViews } from './wire-frame.js';

export { encodeV1, V1_PROTOCOL } from './wire-frame.js';

const decoder = new TextDecoder();

/**
 * Decodes one v1 binary frame. Buffers are `Uint8Array` views into `data`.
 * @throws Error when the frame is malformed (bad offsets, bad JSON, no header).
 */
export function decodeV1(data: ArrayBuffer | Uint8Array): Message {
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  const parts = partViews(u8, partOffsets(u8, true));
  const json = (i: number) => JSON.parse(decoder.decode(parts[i]));
  return checkMessage({
    channel: decoder.decode(parts[0]) as Channel,
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers: parts.length > 5 ? parts.slice(5) : NO_BUFFERS,
  });
}
