/**
 * The `v1.kernel.websocket.jupyter.org` wire format: one binary frame per message, u64le offset
 * count, u64le offsets, then channel, header, parent_header, metadata, content and buffers.
 * Decoding is zero-copy: text parts are decoded from subarrays and buffers are views into the frame.
 * This decoder is tuned for the per-message CPU of a Node client (Buffer ranges decoded in place,
 * ASCII text parts sliced from one decode, a shared parent header per request); the browser build
 * compiles the shorter part-by-part decoder of wire-v1-browser.ts under this module's name.
 */
import type { Message } from './messages.js';
import { checkMessage, NO_BUFFERS } from './wire-frame.js';

export { encodeV1, V1_PROTOCOL } from './wire-frame.js';

const decoder = new TextDecoder();

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
