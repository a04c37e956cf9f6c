import { describe, expect, it } from 'vitest';
import { redact, redactValue } from '../../src/core/redact.js';

describe('redact', () => {
  it('masks credentials after an auth scheme, in query strings and in URL user info', () => {
    expect(redact('Authorization: token 0123456789abcdef')).toBe('Authorization: token ***');
    expect(redact('Bearer eyJhbGciOiJIUzI1NiJ9xyzxyzxyz')).toBe('Bearer ***');
    expect(redact('Basic dXNlcjpwYXNz')).toBe('Basic ***');
    expect(redact('http://h/api?token=s3cret&x=1')).toBe('http://h/api?token=***&x=1');
    expect(redact('https://ana:pw@host/x')).toBe('https://***@host/x');
  });

  it('keeps prose that only mentions a scheme', () => {
    expect(redact('Invalid token format')).toBe('Invalid token format');
    expect(redact('Basic authentication required')).toBe('Basic authentication required');
  });

  it('masks the given secrets wherever they appear, and credential keys in objects', () => {
    expect(redact('echo: hunter22 / hunter22', ['hunter22'])).toBe('echo: *** / ***');
    expect(redactValue({ password: 'x', nested: ['k=hunter22'] }, (t) => redact(t, ['hunter22']))).toEqual({ password: '***', nested: ['k=***'] });
  });

  it('masks a secret shorter than 4 characters where it stands alone, and leaves words that contain it', () => {
    expect(redact('401 Bad credentials for ana:abc', ['abc'])).toBe('401 Bad credentials for ana:***');
    expect(redact('"abc" (abc) abc', ['abc'])).toBe('"***" (***) ***');
    expect(redact('ana%3Aabc', ['abc'])).toBe('ana%3A***');
    expect(redact('abcdef, xabc, abc1 and ABC stay', ['abc'])).toBe('abcdef, xabc, abc1 and ABC stay');
    expect(redact('pw é1 and é1x', ['é1'])).toBe('pw *** and é1x');
    expect(redact('a.b and axb', ['a.b'])).toBe('*** and axb');
    expect(redactValue({ message: 'denied for ana:pw', info: ['pw'] }, (t) => redact(t, ['pw']))).toEqual({ message: 'denied for ana:***', info: ['***'] });
  });

  it('masks longer secrets first, so that no part of one is left behind', () => {
    expect(redact('key xxabcdyy', ['abcd', 'xxabcdyy'])).toBe('key ***');
    expect(redact('key xxabcdyy', ['xxabcdyy', 'abcd'])).toBe('key ***');
  });

  it('ignores empty and missing secrets', () => {
    expect(redact('nothing to hide', ['', undefined])).toBe('nothing to hide');
  });

  it('masks a secret however a page or body escaped it, even with escapings mixed', () => {
    const secret = `a&b<c>d"e f'g+h/i%j-é`;
    const cases = [
      'a%26b%3Cc%3Ed%22e%20f%27g%2Bh/i%25j-%C3%A9', // Python quote(), `/` kept
      'a%26b%3cc%3ed%22e+f%27g%2bh%2Fi%25j-%c3%a9', // form encoding, lower-case hex
      'a&amp;b&lt;c&gt;d&#34;e f&#39;g+h/i%j-é', // tornado's xhtml_escape
      'a&amp;b&lt;c&gt;d&quot;e f&#x27;g+h/i%j-&#233;', // html.escape and numeric entities
      'a\\u0026b\\u003cc\\u003ed\\"e f\\u0027g+h\\/i%j-\\u00e9', // JSON
    ];
    for (const form of cases) expect(redact(`<a href="/?x=${form}">`, [secret])).toBe('<a href="/?x=***">');
    expect(redact('a&b is not the secret', [secret])).toBe('a&b is not the secret');
  });
});

