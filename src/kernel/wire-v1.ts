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

/** u32le at `i` (the low word of a u64le offset), without a DataView. */
const u32 = (u8: Uint8Array, i: number): number => (u8[i]! | (u8[i + 1]! << 8) | (u8[i + 2]! << 16) | (u8[i + 3]! << 24)) >>> 0;

/** Node's Buffer decodes UTF-8 from a range without a subarray; other Uint8Arrays go through TextDecoder. */
type Utf8Sliceable = Uint8Array & { utf8Slice?: (start: number, end: number) => string };
const utf8 = (u8: Utf8Sliceable, start: number, end: number): string =>
  typeof u8.utf8Slice === 'function' ? u8.utf8Slice(start, end) : decoder.decode(u8.subarray(start, end));

// The messages of one request all carry the same parent_header bytes: parsed once, shared.
let lastParentText = '';
let lastParent: Message['parent_header'] = {};

/**
 * Decodes one v1 binary frame. Buffers are `Uint8Array` views into `data`. The five text parts
 * are decoded in one call and sliced when every byte was one character (ASCII), else one by one.
 * Consecutive messages with the same `parent_header` (every message of one request) share one
 * parsed parent object.
 * @throws Error when the frame is malformed (bad offsets, bad JSON, no header).
 */
export function decodeV1(data: ArrayBuffer | Uint8Array): Message {
  const u8: Utf8Sliceable = data instanceof Uint8Array ? data : new Uint8Array(data);
  const len = u8.byteLength;
  const n = len >= 8 ? u32(u8, 0) : 0;
  // Offsets stay below 2^32 (the frames are far smaller): a high word that is not 0 is garbage.
  if (n < 6 || 8 * (n + 1) > len || u32(u8, 4) !== 0) throw new Error(`bad frame: ${n} offsets in ${len} bytes`);
  const o = offsets;
  for (let k = 1, prev = 8 * (n + 1); k <= 6; k++) prev = o[k - 1] = offsetAt(u8, k, prev, len);
  const o0 = o[0]!, o5 = o[5]!;
  const text = utf8(u8, o0, o5);
  // A character per byte: string offsets are byte offsets (UTF-8 never gives more characters than bytes).
  const ascii = text.length === o5 - o0;
  const parentText = textPart(u8, text, ascii, o0, o[2]!, o[3]!);
  let parent: Message['parent_header'];
  if (parentText === lastParentText) parent = lastParent;
  else {
    parent = JSON.parse(parentText);
    // Only objects are shared; checkMessage rejects anything else.
    if (typeof parent === 'object' && parent !== null && parentText.length > 2) (lastParentText = parentText), (lastParent = parent);
  }
  const o3 = o[3]!, o4 = o[4]!;
  // `{}`, the usual metadata, without a slice or a parse.
  const metadata = o4 - o3 === 2 && u8[o3] === 0x7b && u8[o3 + 1] === 0x7d ? {} : JSON.parse(textPart(u8, text, ascii, o0, o3, o4));
  let buffers = NO_BUFFERS;
  if (n > 6) {
    buffers = [];
    for (let k = 7, prev = o5; k <= n; k++) {
      const end = offsetAt(u8, k, prev, len);
      buffers.push(u8.subarray(prev, end));
      prev = end;
    }
  }
  return checkMessage({
    channel: channelName(u8, o0, o[1]!) ?? (textPart(u8, text, ascii, o0, o0, o[1]!) as Message['channel']),
    header: JSON.parse(textPart(u8, text, ascii, o0, o[1]!, o[2]!)),
    parent_header: parent,
    metadata,
    content: JSON.parse(textPart(u8, text, ascii, o0, o[4]!, o5)),
    buffers,
  });
}

const CHANNELS: Message['channel'][] = ['iopub', 'shell', 'stdin', 'control'];

/** The channel name of bytes `a`..`b` as a constant string (no allocation), when it is one of the four. */
function channelName(u8: Uint8Array, a: number, b: number): Message['channel'] | undefined {
  next: for (const name of CHANNELS) {
    if (name.length !== b - a) continue;
    for (let i = 0; i < name.length; i++) if (u8[a + i] !== name.charCodeAt(i)) continue next;
    return name;
  }
  return undefined;
}

// Scratch for the six text-part offsets of the frame being decoded (decoding is synchronous).
const offsets = new Float64Array(6);

/** The k-th offset of a v1 frame, checked to be in order and in range. */
function offsetAt(u8: Uint8Array, k: number, prev: number, len: number): number {
  const o = u32(u8, 8 * k);
  if (o < prev || o > len || u32(u8, 8 * k + 4) !== 0) throw new Error(`bad frame: offset ${o} out of order`);
  return o;
}

/** Bytes `a`..`b` of the frame as text: a slice of the decoded text parts when they are ASCII. */
function textPart(u8: Utf8Sliceable, text: string, ascii: boolean, base: number, a: number, b: number): string {
  return ascii ? text.slice(a - base, b - base) : utf8(u8, a, b);
}
