import { fromBase64 as viaAtob, toBase64 as viaBtoa } from './base64-browser.js';

/** Base64 of bytes: Node's Buffer when present (fast), else btoa over binary strings in slices. */
export function toBase64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: string): string } } }).Buffer;
  return B ? B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : viaBtoa(bytes);
}

/** Bytes of a base64 string. */
export function fromBase64(text: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (!B) return viaAtob(text);
  const buf = B.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
