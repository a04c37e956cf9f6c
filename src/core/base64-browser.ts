/**
 * Base64 of the browser build, which compiles this module under base64.ts's name: `btoa`/`atob`
 * over binary strings, which every browser has. base64.ts (Node) takes Buffer's faster path when
 * there is one and falls back on these.
 */

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  // Slices keep String.fromCharCode under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of a base64 string. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
