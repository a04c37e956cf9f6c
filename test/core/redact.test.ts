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
    expect(redactValue({ password: 'x', nested: ['k=hunter22'] }, ['hunter22'])).toEqual({ password: '***', nested: ['k=***'] });
  });

  it('masks a secret shorter than 4 characters where it stands alone, and leaves words that contain it', () => {
    expect(redact('401 Bad credentials for ana:abc', ['abc'])).toBe('401 Bad credentials for ana:***');
    expect(redact('"abc" (abc) abc', ['abc'])).toBe('"***" (***) ***');
    expect(redact('ana%3Aabc', ['abc'])).toBe('ana%3A***');
    expect(redact('abcdef, xabc, abc1 and ABC stay', ['abc'])).toBe('abcdef, xabc, abc1 and ABC stay');
    expect(redact('pw é1 and é1x', ['é1'])).toBe('pw *** and é1x');
    expect(redact('a.b and axb', ['a.b'])).toBe('*** and axb');
    expect(redactValue({ message: 'denied for ana:pw', info: ['pw'] }, ['pw'])).toEqual({ message: 'denied for ana:***', info: ['***'] });
  });

  it('masks longer secrets first, so that no part of one is left behind', () => {
    expect(redact('key xxabcdyy', ['abcd', 'xxabcdyy'])).toBe('key ***');
    expect(redact('key xxabcdyy', ['xxabcdyy', 'abcd'])).toBe('key ***');
  });

  it('ignores empty and missing secrets', () => {
    expect(redact('nothing to hide', ['', undefined])).toBe('nothing to hide');
  });
});
