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
});
