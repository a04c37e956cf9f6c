/**
 * What both wire formats share: binary frames of parts behind a part count and offsets (every
 * v1 message; legacy messages with buffers), the v1 encoder, and the check every decoded
 * message passes.
 */
import type { BinaryBuffer, Message } from './messages.js';

/** The subprotocol name of the v1 wire format, offered to the server. */
export const V1_PROTOCOL = 'v1.kernel.websocket.jupyter.org';

const encoder = new TextEncoder();

/** A Uint8Array over exactly the bytes of a buffer or view (never the whole underlying ArrayBuffer). */
export function bytesOf(b: BinaryBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that a decoded message has the parts every message has: a channel name, a header with
 * a string `msg_type`, and objects for `parent_header`, `metadata` and `content` (missing or
 * null ones become `{}`). Throws otherwise.
 */
export function checkMessage(m: Message): Message {
  if (!isObject(m) || !isObject(m.header) || typeof m.header.msg_type !== 'string') throw new Error('frame is not a Jupyter message');
  if (typeof m.channel !== 'string') throw new Error('message without a channel');
  if (m.parent_header == null) m.parent_header = {};
  else if (!isObject(m.parent_header)) throw new Error('parent_header is not an object');
  if (m.metadata == null) m.metadata = {};
  else if (!isObject(m.metadata)) throw new Error('metadata is not an object');
  if (m.content == null) m.content = {};
  else if (!isObject(m.content)) throw new Error('content is not an object');
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
 * The part boundaries of a frame made by {@link pack}: n + 1 offsets from the frame start for
 * n parts, the last one its end.
 * @throws Error on a bad count or offsets out of order or range
 */
export function partOffsets(u8: Uint8Array, v1: boolean): number[] {
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
  return offsets;
}

/** Views of the parts `from` onwards of a frame with these offsets (no copies). */
export function partViews(u8: Uint8Array, offsets: number[], from = 0): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = from + 1; i < offsets.length; i++) parts.push(u8.subarray(offsets[i - 1], offsets[i]));
  return parts;
}

/** Encodes a message as one v1 binary frame. */
export function encodeV1(msg: Message): Uint8Array {
  const texts = [msg.channel, JSON.stringify(msg.header), JSON.stringify(msg.parent_header ?? {}), JSON.stringify(msg.metadata ?? {}), JSON.stringify(msg.content ?? {})];
  return pack([...texts.map((t) => encoder.encode(t)), ...(msg.buffers ?? []).map(bytesOf)], true);
}

/** Buffers of a received message that has none: one shared, frozen array instead of one per message. */
export const NO_BUFFERS: BinaryBuffer[] = Object.freeze([]) as unknown as BinaryBuffer[];
