/**
 * The `v1.kernel.websocket.jupyter.org` wire format: one binary frame per message, u64le offset
 * count, u64le offsets, then channel, header, parent_header, metadata, content and buffers.
 * Decoding is zero-copy: text parts are decoded from subarrays and buffers are views into the frame.
 */
import type { BinaryBuffer, Message } from './messages.js';

/** The subprotocol name offered to the server. */
export const V1_PROTOCOL = 'v1.kernel.websocket.jupyter.org';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Uint8Array over exactly the bytes of a buffer or view (never the whole underlying ArrayBuffer). */
export function bytesOf(b: BinaryBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
}

/** Checks that a decoded message has a header; throws otherwise. Fills in missing parts. */
export function checkMessage(m: Message): Message {
  if (!m || typeof m !== 'object' || !m.header || typeof m.header !== 'object' || typeof m.header.msg_type !== 'string') {
    throw new Error('frame is not a Jupyter message');
  }
  m.parent_header ??= {};
  m.metadata ??= {};
  m.content ??= {};
  return m;
}

/**
 * Packs parts behind a part count and offsets from the frame start: u64le with a final end offset
 * for v1, u32be without one for legacy binary frames.
 */
export function pack(parts: Uint8Array[], v1: boolean): Uint8Array {
  const size = v1 ? 8 : 4;
  const n = parts.length + (v1 ? 1 : 0);
  let offset = size * (n + 1);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, offset));
  const view = new DataView(out.buffer);
  // Offsets stay below 2^32: the high word of a u64le is left 0.
  view.setUint32(0, n, v1);
  parts.forEach((p, i) => {
    view.setUint32(size * (i + 1), offset, v1);
    out.set(p, offset);
    offset += p.byteLength;
  });
  if (v1) view.setUint32(size * n, offset, true);
  return out;
}

/**
 * Splits a frame made by {@link pack} into views of its parts (no copies).
 * @throws Error on a bad count or offsets out of order or range
 */
export function unpack(u8: Uint8Array, v1: boolean): Uint8Array[] {
  const size = v1 ? 8 : 4;
  const len = u8.byteLength;
  const view = new DataView(u8.buffer, u8.byteOffset, len);
  // u64le as two u32 reads: cheaper than BigInt and exact below 2^53.
  const at = (i: number) => (v1 ? view.getUint32(i + 4, true) * 4294967296 + view.getUint32(i, true) : view.getUint32(i));
  const n = len >= size ? at(0) : 0;
  if (n < (v1 ? 6 : 1) || size * (n + 1) > len) throw new Error(`bad frame: ${n} offsets in ${len} bytes`);
  const offsets: number[] = [];
  for (let i = 0, prev = size * (n + 1); i < n; i++) {
    const o = at(size * (i + 1));
    if (o < prev || o > len) throw new Error(`bad frame: offset ${o} out of order`);
    offsets.push((prev = o));
  }
  if (!v1) offsets.push(len);
  const parts: Uint8Array[] = [];
  for (let i = 1; i < offsets.length; i++) parts.push(u8.subarray(offsets[i - 1], offsets[i]));
  return parts;
}

/** Encodes a message as one v1 binary frame. */
export function encodeV1(msg: Message): Uint8Array {
  const json = (v: unknown) => encoder.encode(JSON.stringify(v ?? {}));
  return pack([encoder.encode(msg.channel), json(msg.header), json(msg.parent_header), json(msg.metadata), json(msg.content), ...(msg.buffers ?? []).map(bytesOf)], true);
}

/**
 * Decodes one v1 binary frame. Buffers are `Uint8Array` views into `data`.
 * @throws Error when the frame is malformed (bad offsets, bad JSON, no header).
 */
export function decodeV1(data: ArrayBuffer | Uint8Array): Message {
  const parts = unpack(data instanceof Uint8Array ? data : new Uint8Array(data), true);
  const json = (i: number) => JSON.parse(decoder.decode(parts[i]));
  return checkMessage({
    channel: decoder.decode(parts[0]) as Message['channel'],
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers: parts.slice(5),
  });
}
