/**
 * The legacy wire format (no subprotocol): JSON text frames with a `channel` key, and, for
 * messages with buffers, binary frames: u32be part count, u32be offsets, the JSON, the buffers.
 */
import type { Message } from './messages.js';
import { bytesOf, checkMessage } from './wire-v1.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a message: a JSON string, or a legacy binary frame when it has buffers. */
export function encodeJson(msg: Message): string | Uint8Array {
  const { buffers, ...rest } = msg;
  const text = JSON.stringify(rest);
  if (!buffers?.length) return text;
  const parts: Uint8Array[] = [encoder.encode(text), ...buffers.map(bytesOf)];
  const n = parts.length;
  let offset = 4 * (n + 1);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, offset));
  const view = new DataView(out.buffer);
  view.setUint32(0, n);
  parts.forEach((p, i) => {
    view.setUint32(4 + 4 * i, offset);
    out.set(p, offset);
    offset += p.byteLength;
  });
  return out;
}

/**
 * Decodes a legacy frame (text JSON or binary with buffers). Buffers are views into `data`.
 * @throws Error when the frame is malformed.
 */
export function decodeJson(data: string | ArrayBuffer | Uint8Array): Message {
  if (typeof data === 'string') {
    const m = checkMessage(JSON.parse(data));
    m.buffers = [];
    return m;
  }
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  const size = u8.byteLength;
  const view = new DataView(u8.buffer, u8.byteOffset, size);
  const n = size >= 4 ? view.getUint32(0) : 0;
  if (n < 1 || 4 * (n + 1) > size) throw new Error(`bad binary frame: ${n} parts in ${size} bytes`);
  const offsets: number[] = [];
  for (let i = 0, prev = 4 * (n + 1); i < n; i++) {
    const o = view.getUint32(4 + 4 * i);
    if (o < prev || o > size) throw new Error(`bad binary frame: offset ${o} out of order`);
    offsets.push((prev = o));
  }
  offsets.push(size);
  const m = checkMessage(JSON.parse(decoder.decode(u8.subarray(offsets[0], offsets[1]))));
  m.buffers = [];
  for (let i = 1; i < n; i++) m.buffers.push(u8.subarray(offsets[i], offsets[i + 1]));
  return m;
}
