import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { jsonpCallbackName, renderJsonp } from './jsonp.ts';

describe('jsonpCallbackName', () => {
  it('is undefined without a callback', () => {
    expect(jsonpCallbackName(undefined)).toBeUndefined();
  });

  it('accepts plain identifiers and dotted paths', () => {
    for (const name of ['fn', 'my_cb', '$.cb', 'jQuery123_456', '_', '$', 'a.b.c', 'A1', 'x'.repeat(128)]) {
      expect(jsonpCallbackName(name)).toBe(name);
    }
  });

  it('rejects everything else with attributes.invalid_callback (400)', () => {
    const hostile: unknown[] = [
      'alert(1)//',
      'a;b',
      '<script>',
      '</script><script>alert(1)</script>',
      'x'.repeat(129),
      'a'.repeat(100_000),
      '',
      ' fn',
      'fn ',
      'fn\n',
      'fn\u2028',
      '1fn',
      'a..b',
      'a.',
      '.a',
      'a.1b',
      'a[0]',
      'a["b"]',
      'a-b',
      'a=b',
      'fn,alert(1)',
      'a\u0000',
      'caf\u00e9',
      '\u0430lert',
      ['fn', 'other'],
      ['fn'],
      42,
      null,
      { toString: () => 'fn' },
    ];
    for (const value of hostile) {
      expect(() => jsonpCallbackName(value), JSON.stringify(value)).toThrow(
        expect.objectContaining({ code: 'attributes.invalid_callback', status: 400, expose: true }),
      );
    }
  });
});

describe('renderJsonp', () => {
  it('wraps the JSON in the callback behind an empty comment', () => {
    expect(renderJsonp('fn', { a: 1, b: [true, null], c: 'x' })).toBe(
      '/**/fn({"a":1,"b":[true,null],"c":"x"});',
    );
    expect(renderJsonp('$.cb', {})).toBe('/**/$.cb({});');
  });

  it('escapes what could end the script or break the line in JavaScript, keeping the data intact', () => {
    const payload = {
      name: '</script><script>alert(1)</script>',
      sep: 'a\u2028b\u2029c',
      amp: 'x&y',
      gt: '>',
    };
    const body = renderJsonp('fn', payload);
    expect(body).not.toMatch(/[<>&\u2028\u2029]/);
    expect(body).toContain('\\u003c/script\\u003e');
    expect(body).toContain('a\\u2028b\\u2029c');
    const json = body.slice('/**/fn('.length, -');'.length);
    expect(JSON.parse(json)).toEqual(payload);
    // The body evaluates to a call with the original payload.
    let received: unknown;
    runInNewContext(body, {
      fn: (value: unknown) => {
        received = value;
      },
    });
    expect(JSON.stringify(received)).toBe(JSON.stringify(payload));
  });

  it('refuses an invalid name even when called directly', () => {
    expect(() => renderJsonp('alert(1)//', {})).toThrow(
      expect.objectContaining({ code: 'attributes.invalid_callback' }),
    );
  });
});
