import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { halves, makePdf, noise, pixel, pngClaiming, raw, withComment } from './fixtures.test-support.ts';
import { MAX_OBJECT_STREAM_BYTES } from './pdf-normalize.ts';
import { checkUpload, MAX_UPLOAD_BYTES } from './upload-check.ts';

describe('checkUpload: images', () => {
  it('applies the EXIF orientation and strips EXIF (GPS included), XMP and ICC from a JPEG', async () => {
    const input = await halves(400, 300)
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1' } })
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .jpeg()
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ orientation: 6, width: 400, height: 300 });
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer

    const checked = await checkUpload(input);
    expect(checked).toMatchObject({ contentType: 'image/jpeg', width: 300, height: 400 });
    const after = await sharp(checked.bytes).metadata();
    expect(after).toMatchObject({ format: 'jpeg', width: 300, height: 400 });
    expect(after.orientation).toBeUndefined();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    // Orientation 6 turns the picture a quarter clockwise: the left (red) half is now on top.
    const [top, bottom] = [await pixel(checked.bytes, 150, 20), await pixel(checked.bytes, 150, 380)];
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
  });

  it('keeps the alpha channel of a PNG', async () => {
    const checked = await checkUpload(await raw(300, 250, 4).png().toBuffer());
    expect(checked).toMatchObject({ contentType: 'image/png', width: 300, height: 250 });
    expect(await sharp(checked.bytes).metadata()).toMatchObject({
      format: 'png',
      channels: 4,
      hasAlpha: true,
    });
  });

  it('hashes the pixels: the same picture with other metadata or compression hashes the same', async () => {
    const plain = await raw(320, 240, 3).png({ compressionLevel: 0 }).toBuffer();
    const tagged = await raw(320, 240, 3)
      .withExif({ IFD0: { Artist: 'Someone', Copyright: 'x' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(plain.equals(tagged)).toBe(false);
    const [a, b] = [await checkUpload(plain), await checkUpload(tagged)];
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.bytes.equals(a.bytes)).toBe(true);

    const jpeg = await raw(320, 240, 3).jpeg({ quality: 80 }).toBuffer();
    const [first, commented] = [await checkUpload(jpeg), await checkUpload(withComment(jpeg, 'GPS 48.85N'))];
    expect(commented.contentHash).toBe(first.contentHash);
    expect(commented.bytes.includes(Buffer.from('GPS 48.85N'))).toBe(false);

    const other = await checkUpload(await raw(320, 240, 3, 2).png().toBuffer());
    expect(other.contentHash).not.toBe(a.contentHash);
  });

  it('refuses a truncated PNG and a truncated JPEG as unreadable', async () => {
    for (const image of [await raw(400, 300, 3).png().toBuffer(), await raw(400, 300, 3).jpeg().toBuffer()]) {
      const truncated = image.subarray(0, Math.floor(image.length * 0.6));
      await expect(checkUpload(truncated)).rejects.toMatchObject({
        code: 'evidence.unreadable',
        status: 400,
      });
    }
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), noise(2000, 1, 3)]);
    await expect(checkUpload(garbage)).rejects.toMatchObject({ code: 'evidence.unreadable' });
  });

  it('refuses images too small, too long a side, or too many pixels before decoding them', async () => {
    await expect(checkUpload(await raw(100, 100, 3).png().toBuffer())).rejects.toMatchObject({
      code: 'evidence.bad_dimensions',
      status: 400,
      message: expect.stringContaining('at least 200 pixels'),
    });
    await expect(checkUpload(await raw(1000, 150, 3).jpeg().toBuffer())).rejects.toMatchObject({
      code: 'evidence.bad_dimensions',
    });
    for (const [width, height] of [
      [12_001, 300],
      [10_000, 10_000],
    ] as const) {
      await expect(checkUpload(pngClaiming(width, height))).rejects.toMatchObject({
        code: 'evidence.bad_dimensions',
        message: expect.stringContaining('12,000 pixels'),
      });
    }
  });
});

describe('checkUpload: types and sizes', () => {
  it.each([
    ['a text file named photo.jpg', Buffer.from('this is not a photo\n')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"></svg>')],
    ['HEIC', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')])],
    ['a PNG signature cut short', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ])('refuses %s as an unsupported type', async (_name, input) => {
    await expect(checkUpload(input)).rejects.toMatchObject({
      code: 'evidence.unsupported_type',
      status: 400,
      message: 'This kind of file is not accepted. Upload a photo or scan as JPEG, PNG or PDF.',
    });
  });

  it('refuses GIF and WebP images as unsupported types', async () => {
    for (const image of [await raw(300, 300, 3).gif().toBuffer(), await raw(300, 300, 3).webp().toBuffer()]) {
      await expect(checkUpload(image)).rejects.toMatchObject({ code: 'evidence.unsupported_type' });
    }
  });

  it('refuses an empty file, and a 50 MB one before looking inside', async () => {
    await expect(checkUpload(Buffer.alloc(0))).rejects.toMatchObject({ code: 'evidence.empty', status: 400 });
    const huge = Buffer.alloc(50 * 1024 * 1024, 0xff);
    huge.set([0xff, 0xd8, 0xff], 0);
    const started = performance.now();
    await expect(checkUpload(huge)).rejects.toMatchObject({
      code: 'evidence.too_large',
      status: 413,
      message: expect.stringContaining('10 MB'),
    });
    expect(performance.now() - started).toBeLessThan(100);
    await expect(checkUpload(Buffer.alloc(MAX_UPLOAD_BYTES + 1))).rejects.toMatchObject({
      code: 'evidence.too_large',
    });
  });
});

describe('checkUpload: PDFs', () => {
  it('removes the metadata and re-saves deterministically', async () => {
    const input = await makePdf({ pages: 2, title: 'title-marker', author: 'author-marker' });
    expect(input.toString('latin1')).toContain('/Producer');
    const checked = await checkUpload(input);
    expect(checked).toMatchObject({ contentType: 'application/pdf', width: null, height: null });
    const text = checked.bytes.toString('latin1');
    for (const gone of ['/Info', '/Title', '/Author', '/Producer', '/CreationDate', '/ModDate', 'pdf-lib']) {
      expect(text).not.toContain(gone);
    }
    const reloaded = await PDFDocument.load(checked.bytes, { updateMetadata: false });
    expect(reloaded.getPageCount()).toBe(2);
    expect(reloaded.getPage(1).getSize()).toEqual({ width: 612, height: 792 });
    expect([reloaded.getTitle(), reloaded.getAuthor(), reloaded.getProducer()]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);

    const again = await checkUpload(input);
    expect(again.contentHash).toBe(checked.contentHash);
    expect(again.contentHash).toBe(createHash('sha256').update(again.bytes).digest('hex'));
    const otherAuthor = await checkUpload(await makePdf({ pages: 2, title: 'another', author: 'else' }));
    expect(otherAuthor.contentHash).toBe(checked.contentHash);
    expect((await checkUpload(await makePdf({ pages: 3 }))).contentHash).not.toBe(checked.contentHash);
  });

  it('removes scripts, actions, XMP, embedded files and file attachments', async () => {
    const input = await makePdf({ active: true });
    expect(input.toString('latin1')).toContain('script-marker');
    const text = (await checkUpload(input)).bytes.toString('latin1');
    for (const gone of [
      'script-marker',
      '/JavaScript',
      '/JS',
      '/OpenAction',
      '/AA',
      '/EmbeddedFile',
      'payload-marker',
      'attachment-marker',
      '/FileAttachment',
      'xmp-marker',
      '/Metadata',
    ]) {
      expect(text).not.toContain(gone);
    }
    expect(text).toContain('/Link');
  });

  it('refuses random bytes after %PDF-, an encrypted PDF, and too many pages', async () => {
    const random = Buffer.concat([Buffer.from('%PDF-'), noise(4000, 1, 3)]);
    await expect(checkUpload(random)).rejects.toMatchObject({ code: 'evidence.unreadable', status: 400 });

    const doc = await PDFDocument.create();
    doc.addPage();
    doc.context.trailerInfo.Encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, P: -4 });
    await expect(checkUpload(Buffer.from(await doc.save()))).rejects.toMatchObject({
      code: 'evidence.unreadable',
      message: expect.stringContaining('password-protected'),
    });

    await expect(checkUpload(await makePdf({ pages: 11 }))).rejects.toMatchObject({
      code: 'evidence.too_many_pages',
    });
    const empty = Buffer.from(await (await PDFDocument.create()).save({ addDefaultPage: false }));
    await expect(checkUpload(empty)).rejects.toMatchObject({ code: 'evidence.unreadable' });
  });

  it('refuses a decompression bomb (object streams inflating past the budget) before pdf-lib loads it', async () => {
    const inflated = Buffer.concat([Buffer.from('5 0 '), Buffer.alloc(MAX_OBJECT_STREAM_BYTES + 1024, 0x20)]);
    const packed = deflateSync(inflated, { level: 9 });
    const parts: Buffer[] = [];
    const offsets: number[] = [];
    const size = () => parts.reduce((total, part) => total + part.length, 0);
    const push = (part: string | Buffer) =>
      parts.push(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
    push('%PDF-1.7\n');
    offsets.push(size());
    push(
      `1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
    );
    push(packed);
    push('\nendstream\nendobj\n');
    offsets.push(size());
    push('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n');
    offsets.push(size());
    push('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n');
    offsets.push(size());
    push('4 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
    const xref = size();
    const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
    push(
      `xref\n0 5\n0000000000 65535 f \n${entries}trailer\n<< /Size 5 /Root 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    );
    await expect(checkUpload(Buffer.concat(parts))).rejects.toMatchObject({
      code: 'evidence.unreadable',
      message: expect.stringContaining('too complex to check'),
    });
  });
});
