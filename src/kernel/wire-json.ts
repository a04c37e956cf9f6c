/**
 * The legacy wire format (no subprotocol): JSON text frames with a `channel` key, and, for
 * messages with buffers, binary frames: u32be part count, u32be offsets, the JSON, the buffers.
 */
import type { Message } from './messages.js';
import { bytesOf, checkMessage, pack, partOffsets, partViews } from './wire-v1.js';

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
  if (typeof data === 'string') return checkMessage({ ...JSON.parse(data), buffers: [] });
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  const [json, ...buffers] = partViews(u8, partOffsets(u8, false));
  return checkMessage({ ...JSON.parse(decoder.decode(json)), buffers });
}
