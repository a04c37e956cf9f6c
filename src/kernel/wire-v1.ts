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

/** Encodes a message as one v1 binary frame. */
export function encodeV1(msg: Message): Uint8Array {
  const parts: Uint8Array[] = [
    encoder.encode(msg.channel),
    encoder.encode(JSON.stringify(msg.header)),
    encoder.encode(JSON.stringify(msg.parent_header ?? {})),
    encoder.encode(JSON.stringify(msg.metadata ?? {})),
    encoder.encode(JSON.stringify(msg.content ?? {})),
  ];
  for (const b of msg.buffers ?? []) parts.push(bytesOf(b));
  const k = parts.length + 1;
  let offset = 8 * (k + 1);
  const total = parts.reduce((n, p) => n + p.byteLength, offset);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, k, true);
  parts.forEach((p, i) => {
    view.setUint32(8 + 8 * i, offset, true);
    out.set(p, offset);
    offset += p.byteLength;
  });
  view.setUint32(8 * k, total, true);
  return out;
}

/**
 * Decodes one v1 binary frame. Buffers are `Uint8Array` views into `data`.
 * @throws Error when the frame is malformed (bad offsets, bad JSON, no header).
 */
export function decodeV1(data: ArrayBuffer | Uint8Array): Message {
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  const size = u8.byteLength;
  const view = new DataView(u8.buffer, u8.byteOffset, size);
  // u64le as two u32 reads: cheaper than BigInt and exact below 2^53.
  const at = (i: number) => view.getUint32(i + 4, true) * 4294967296 + view.getUint32(i, true);
  const k = size >= 8 ? at(0) : 0;
  if (k < 6 || 8 * (k + 1) > size) throw new Error(`bad v1 frame: ${k} offsets in ${size} bytes`);
  const offsets: number[] = [];
  for (let i = 0, prev = 8 * (k + 1); i < k; i++) {
    const o = at(8 + 8 * i);
    if (o < prev || o > size) throw new Error(`bad v1 frame: offset ${o} out of order`);
    offsets.push((prev = o));
  }
  const part = (i: number) => u8.subarray(offsets[i]!, offsets[i + 1]!);
  const json = (i: number) => JSON.parse(decoder.decode(part(i)));
  const buffers: Uint8Array[] = [];
  for (let i = 5; i < k - 1; i++) buffers.push(part(i));
  return checkMessage({
    channel: decoder.decode(part(0)) as Message['channel'],
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers,
  });
}
