import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** Values a path parameter, query value or form field may take when it is not a real id. */
export const hostile = fc.oneof(
  fc.constantFrom(
    '',
    '..',
    '%2e%2e',
    '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '..%2F..%2F',
    '%00',
    'a%00b',
    '%',
    '%zz',
    '%C3%28',
    '%ED%A0%80',
    '%F0%9F%92%A5',
    '%25',
    '%2F',
    '%5C',
    '.',
    '~',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '-1',
    '0',
    '1e309',
    '9999999999999999999999',
    "'%20OR%201=1--",
    '%3Cscript%3E',
    'a'.repeat(300),
  ),
  fc.string({ maxLength: 40 }).map((value) => encodeURIComponent(value)),
  fc.nat({ max: 20_000 }).map((length) => 'x'.repeat(length)),
);

function multipart(
  boundary: string,
  fields: [string, string][],
  file: Buffer,
  close: 'closed' | 'open' | 'cut',
) {
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="front"; filename="id.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const whole = Buffer.concat([Buffer.from(parts.join('') + head), file]);
  if (close === 'open') return whole; // the file part never closes: no final boundary
  if (close === 'cut') return whole.subarray(0, Math.max(1, Math.floor(whole.length / 2)));
  return Buffer.concat([whole, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

/** A body (and its Content-Type and Content-Encoding), with the CSRF token `csrf` gives when not empty. */
export function bodyFor(csrf: fc.Arbitrary<string>) {
  const fields = fc.array(
    fc.tuple(fc.constantFrom('email', 'password', 'name', 'decision', 'code', 'role', 'x'), hostile),
    {
      maxLength: 5,
    },
  );
  const withCsrf = fc
    .tuple(csrf, fields)
    .map(([token, rest]) => (token === '' ? rest : [['_csrf', token] as [string, string], ...rest]));
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constant({
        type: undefined as string | undefined,
        body: Buffer.alloc(0),
        encoding: undefined as string | undefined,
      }),
    },
    {
      weight: 3,
      arbitrary: withCsrf.map((pairs) => ({
        type: 'application/x-www-form-urlencoded',
        body: Buffer.from(pairs.map(([key, value]) => `${key}=${value}`).join('&')),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.json(), fc.constantFrom('{', '{"a":', '[', 'nul', '{"__proto__":{"x":1}}', '"\\ud800"'))
        .map((text) => ({
          type: 'application/json',
          body: Buffer.from(text),
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          boundary: fc.constantFrom('fuzzboundary', 'x', '-'.repeat(70)),
          fields: withCsrf,
          file: fc
            .nat({ max: 300_000 })
            .map((length) => Buffer.concat([JPEG_START, Buffer.alloc(length, 0x41)])),
          close: fc.constantFrom('closed' as const, 'open' as const, 'cut' as const),
          typeBoundary: fc.constantFrom('same', 'same', 'same', 'missing', 'other'),
        })
        .map(({ boundary, fields: pairs, file, close, typeBoundary }) => ({
          type:
            typeBoundary === 'missing'
              ? 'multipart/form-data'
              : `multipart/form-data; boundary=${typeBoundary === 'same' ? boundary : 'other'}`,
          body: multipart(boundary, pairs, file, close),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        {
          type: 'application/x-www-form-urlencoded',
          body: Buffer.from('garbage, not gzip'),
          encoding: 'gzip',
        },
        {
          type: 'application/x-www-form-urlencoded',
          body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]),
          encoding: 'gzip',
        },
        {
          type: 'application/x-www-form-urlencoded',
          body: gzipSync('email=a@b.c&password=x').subarray(0, 12),
          encoding: 'gzip',
        },
        {
          type: 'application/x-www-form-urlencoded',
          body: gzipSync('email=a@b.c&password=x'),
          encoding: 'gzip',
        },
        { type: 'application/json', body: Buffer.from('not deflate'), encoding: 'deflate' },
        { type: 'application/json', body: gzipSync('{"document_token":"x"}'), encoding: 'gzip' },
        { type: 'application/json', body: gzipSync('{"document_token":"x"}') },
        {
          type: 'multipart/form-data; boundary=b',
          body: Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n'),
          encoding: 'gzip',
        },
        { type: 'text/plain', body: Buffer.from('hello') },
        {
          type: 'application/xml',
          body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'),
        },
        { type: 'application/x-www-form-urlencoded; charset=utf-7', body: Buffer.from('a=+AGEAYgBj-') },
        { type: '', body: Buffer.from('a=1') },
        { type: 'image/png', body: Buffer.from('not a png') },
        { type: 'application/x-www-form-urlencoded', body: Buffer.alloc(1_200_000, 0x61) },
        { type: 'application/json', body: Buffer.from(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`) },
      ),
    },
  );
}
