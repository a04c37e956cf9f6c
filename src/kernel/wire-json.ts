/**
 * The legacy wire format (no subprotocol): JSON text frames with a `channel` key, and, for
 * messages with buffers, binary frames: u32be part count, u32be offsets, the JSON, the buffers.
 */
import type { Message } from './messages.js';
import { bytesOf, checkMessage, NO_BUFFERS, pack, partOffsets, partViews } from './wire-frame.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a message: a JSON string, or a legacy binary frame when it has buffers. */
export function encodeJson(msg: Message): string | Uint8Array {
  const { buffers, ...rest } = msg;
  const text = JSON.stringify(rest);
  return buffers?.length ? pack([encoder.encode(text), ...buffers.map(bytesOf)], false) : text;
}

/**
 * Decodes a legacy frame (text JSON or binary with buffers). Buffers are views into `data`.
 * @throws Error when the frame is malformed.
 */
export function decodeJson(data: string | ArrayBuffer | Uint8Array): Message {
  if (typeof data === 'string') return withBuffers(JSON.parse(data), NO_BUFFERS);
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  const [json, ...buffers] = partViews(u8, partOffsets(u8, false));
  return withBuffers(JSON.parse(decoder.decode(json)), buffers);
}

/** The parsed JSON as a message with these buffers (no copy of the parsed object). */
function withBuffers(m: unknown, buffers: Message['buffers']): Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error('frame is not a Jupyter message');
  (m as Message).buffers = buffers;
  return checkMessage(m as Message);
}
