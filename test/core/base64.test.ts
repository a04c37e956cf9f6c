import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../src/core/base64.js';
import * as browser from '../../src/core/base64-browser.js';

// Bytes of every value, and more than one 32 KiB slice of the btoa path.
const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);

describe('base64', () => {
  it('encodes like Buffer, on the Node path and on the browser build\'s btoa path', () => {
    const expected = Buffer.from(bytes).toString('base64');
    expect(toBase64(bytes)).toBe(expected);
    expect(browser.toBase64(bytes)).toBe(expected);
    expect(browser.toBase64(bytes.subarray(5, 9))).toBe(Buffer.from(bytes.subarray(5, 9)).toString('base64'));
  });

  it('decodes back to the same bytes on both paths', () => {
    const text = Buffer.from(bytes).toString('base64');
    expect(fromBase64(text)).toEqual(bytes);
    expect(browser.fromBase64(text)).toEqual(bytes);
    expect(browser.fromBase64('')).toEqual(new Uint8Array(0));
  });
});
