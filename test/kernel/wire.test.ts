import { describe, expect, it } from 'vitest';
import type { Message } from 'jupyter-sdk';
import { createMessage } from '../../src/kernel/messages.js';
import * as nodeV1 from '../../src/kernel/wire-v1.js';
import * as browserV1 from '../../src/kernel/wire-v1-browser.js';
import { decodeJson, encodeJson } from '../../src/kernel/wire-json.js';

const sample = (buffers: Message['buffers'] = []): Message =>
  createMessage('shell', 'comm_msg', 'sess-1', { comm_id: 'c1', data: { x: 'é✓' } }, { metadata: { m: 1 }, buffers });

const bytes = (b: unknown) => Array.from(b as Uint8Array);

// The browser build swaps in its own v1 decoder: every v1 test runs on both.
describe.each([
  ['Node', nodeV1],
  ['browser', browserV1],
])('v1 wire format (%s decoder)', (_platform, { decodeV1, encodeV1 }) => {
  it('round-trips a message without buffers and lays out offsets as the spec says', () => {
    const msg = sample();
    const frame = encodeV1(msg);
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect(Number(view.getBigUint64(0, true))).toBe(6);
    const offsets = Array.from({ length: 6 }, (_, i) => Number(view.getBigUint64(8 + 8 * i, true)));
    expect(offsets[0]).toBe(56);
    expect(offsets[1]! - offsets[0]!).toBe(5); // "shell"
    expect(offsets[5]).toBe(frame.byteLength);
    const back = decodeV1(frame);
    expect(back).toEqual({ ...msg, buffers: [] });
  });

  it('round-trips binary buffers and decodes from an ArrayBuffer', () => {
    const msg = sample([new Uint8Array([1, 2, 3]), new Uint8Array([]).buffer, new Float32Array([1.5])]);
    const frame = encodeV1(msg);
    const back = decodeV1(frame.slice().buffer);
    expect(back.buffers.map(bytes)).toEqual([[1, 2, 3], [], bytes(new Uint8Array(new Float32Array([1.5]).buffer))]);
    expect(back.content).toEqual(msg.content);
  });

  it('encodes only the bytes of a sliced view, not its whole ArrayBuffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9, 9]);
    const sliced = new DataView(backing.buffer, 2, 3);
    const back = decodeV1(encodeV1(sample([sliced, backing.subarray(5)])));
    expect(back.buffers.map(bytes)).toEqual([[1, 2, 3], [9, 9]]);
  });

  it('decodes a frame that is itself a view into a larger buffer, without copying buffers', () => {
    const frame = encodeV1(sample([new Uint8Array([7, 8])]));
    const big = new Uint8Array(frame.byteLength + 10);
    big.set(frame, 5);
    const back = decodeV1(big.subarray(5, 5 + frame.byteLength));
    expect(bytes(back.buffers[0])).toEqual([7, 8]);
    expect((back.buffers[0] as Uint8Array).buffer).toBe(big.buffer);
  });

  it('lays out the five parts and the buffers behind u64le offsets, as the v1 format says', () => {
    const msg = createMessage('shell', 'execute_request', 'sess-2', { code: 'print(1)', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false }, { buffers: [new Uint8Array([5, 6])] });
    const frame = encodeV1(msg);
    const enc = new TextEncoder();
    const parts = [msg.channel, JSON.stringify(msg.header), JSON.stringify(msg.parent_header), JSON.stringify(msg.metadata), JSON.stringify(msg.content)].map((t) => enc.encode(t));
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect(Number(view.getBigUint64(0, true))).toBe(7);
    let at = 64;
    parts.forEach((p, i) => {
      expect(Number(view.getBigUint64(8 + 8 * i, true))).toBe(at);
      expect(bytes(frame.subarray(at, at + p.length))).toEqual(bytes(p));
      at += p.length;
    });
    expect(Number(view.getBigUint64(48, true))).toBe(at);
    expect(bytes(frame.subarray(at))).toEqual([5, 6]);
    expect(Number(view.getBigUint64(56, true))).toBe(frame.byteLength);
    expect(decodeV1(frame)).toEqual({ ...msg, buffers: [new Uint8Array([5, 6])] });
  });

  it('round-trips characters outside the BMP and keeps invalid UTF-8 as U+FFFD, as a part-by-part decode does', () => {
    const msg = createMessage('iopub', 'stream', 'sess-3', { name: 'stdout', text: 'smile 😀 ok\n' });
    expect(decodeV1(encodeV1(msg)).content).toEqual({ name: 'stdout', text: 'smile 😀 ok\n' });
    const ascii = encodeV1(createMessage('iopub', 'stream', 'sess-3', { name: 'stdout', text: 'AB' }));
    const i = new TextDecoder().decode(ascii).lastIndexOf('AB');
    ascii[i] = 0xff; // one invalid byte: still one character per byte
    expect((decodeV1(ascii).content as { text: string }).text).toBe('\ufffdB');
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['too few offsets', (() => { const f = encodeV1(sample()); new DataView(f.buffer).setUint32(0, 2, true); return f; })()],
    ['offset past the end', (() => { const f = encodeV1(sample()); new DataView(f.buffer).setUint32(16, 1e6, true); return f; })()],
    ['bad JSON', (() => { const f = encodeV1(sample()); f[62] = 0x7b; f[61] = 0x7b; return f; })()],
    ['huge count', (() => { const f = new Uint8Array(16); new DataView(f.buffer).setUint32(4, 0xffffffff, true); return f; })()],
  ])('throws on a malformed frame: %s', (_name, frame) => {
    expect(() => decodeV1(frame)).toThrow();
  });
});

describe('legacy JSON wire format', () => {
  it('uses a JSON text frame with a channel key when there are no buffers', () => {
    const msg = sample();
    const frame = encodeJson(msg);
    expect(typeof frame).toBe('string');
    expect(JSON.parse(frame as string).channel).toBe('shell');
    expect(decodeJson(frame)).toEqual({ ...msg, buffers: [] });
  });

  it('accepts the server-added msg_id/msg_type keys and fills a missing parent', () => {
    const m = decodeJson(JSON.stringify({ channel: 'iopub', msg_id: 'x', msg_type: 'status', header: { msg_type: 'status', msg_id: 'x' }, content: { execution_state: 'idle' } }));
    expect(m.parent_header).toEqual({});
    expect(m.buffers).toEqual([]);
  });

  it('uses a big-endian binary frame when the message has buffers, both ways', () => {
    const backing = new Uint8Array([0, 5, 6, 0]);
    const msg = sample([backing.subarray(1, 3), new Uint16Array([0x0102])]);
    const frame = encodeJson(msg) as Uint8Array;
    const view = new DataView(frame.buffer);
    expect(view.getUint32(0)).toBe(3);
    expect(view.getUint32(4)).toBe(16);
    const back = decodeJson(frame);
    expect(back.buffers.map(bytes)).toEqual([[5, 6], bytes(new Uint8Array(new Uint16Array([0x0102]).buffer))]);
    expect(back.header).toEqual(msg.header);
    expect(decodeJson(frame.slice().buffer).buffers).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{nope'],
    ['no header', '{"channel":"iopub"}'],
    ['null', 'null'],
    ['binary with zero parts', new Uint8Array(8)],
    ['binary offset out of range', (() => { const f = encodeJson(sample([new Uint8Array([1])])) as Uint8Array; new DataView(f.buffer).setUint32(8, 1e6); return f; })()],
  ])('throws on a malformed frame: %s', (_name, frame) => {
    expect(() => decodeJson(frame)).toThrow();
  });
});

describe('v1 decoders of the Node and browser builds', () => {
  it('fuzz: on 2,000 randomly corrupted frames both reject the same ones and decode the others to equal messages', () => {
    // A small seeded generator, so a failure can be replayed.
    let seed = 0x1f2e3d4c;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const outcome = (decode: typeof nodeV1.decodeV1, frame: Uint8Array) => {
      try {
        return { ok: true, msg: decode(frame) };
      } catch {
        return { ok: false };
      }
    };
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const channel = (['iopub', 'shell', 'stdin', 'control'] as const)[rand(4)]!;
      const buffers = rand(2) ? [new Uint8Array([1, 2, 3])] : [];
      const frame = nodeV1.encodeV1(createMessage(channel, 'stream', 's', { name: 'stdout', text: `${'é'.repeat(rand(3))}x${i}` }, { buffers }));
      for (let k = 1 + rand(3); k > 0; k--) frame[rand(frame.length)] = rand(256);
      const node = outcome(nodeV1.decodeV1, frame);
      expect(outcome(browserV1.decodeV1, frame), `frame ${i}`).toEqual(node);
      if (!node.ok) rejected++;
    }
    expect(rejected).toBeGreaterThan(200);
    expect(rejected).toBeLessThan(1800);
  });
});
