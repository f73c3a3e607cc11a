import { insertTestUser } from '../../../test/helpers/users.ts';
// Inputs for the evidence tests, generated rather than checked in: images with sharp, PDFs with pdf-lib.
import { crc32, deflateSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { randomIds } from '../../lib/ids.ts';
import type { Schema } from '../../storage/schema.ts';
import { checkUpload, type CheckedUpload } from './upload-check.ts';

/** Deterministic noise: compresses badly, so a truncated file really lacks pixel data. */
export function noise(width: number, height: number, channels: 3 | 4, seed = 1): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  let state = seed;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return pixels;
}

export const raw = (width: number, height: number, channels: 3 | 4, seed?: number) =>
  sharp(noise(width, height, channels, seed), { raw: { width, height, channels } });

/** Left half red, right half blue. */
export function halves(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) pixels[(y * width + x) * 3 + (x < width / 2 ? 0 : 2)] = 255;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

export async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

/** A JPEG comment segment right after SOI: the same picture with different metadata bytes. */
export const withComment = (jpeg: Buffer, text: string) => {
  const body = Buffer.from(text, 'latin1');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, body, jpeg.subarray(2)]);
};

/** A PNG whose header claims `width`×`height`: the decompression bomb's shape, without the bomb. */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([head, Buffer.from(type, 'latin1'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PDF made with pdf-lib, with metadata and, when `active`, every kind of active content removed on upload. */
export async function makePdf(options: {
  pages?: number;
  title?: string;
  author?: string;
  active?: boolean;
}) {
  const doc = await PDFDocument.create();
  if (options.title !== undefined) doc.setTitle(options.title);
  if (options.author !== undefined) doc.setAuthor(options.author);
  doc.setSubject('Discharge papers');
  doc.setKeywords(['private', 'keyword-marker']);
  for (let index = 0; index < (options.pages ?? 1); index += 1) {
    doc.addPage([612, 792]).drawText(`Certificate page ${index + 1}`, { x: 72, y: 700 });
  }
  if (options.active === true) {
    const { context, catalog } = doc;
    const script = context.register(
      context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("script-marker")') }),
    );
    catalog.set(PDFName.of('OpenAction'), script);
    catalog.set(PDFName.of('AA'), context.obj({ WC: script }));
    catalog.set(
      PDFName.of('Names'),
      context.obj({ JavaScript: context.obj({ Names: [PDFHexString.fromText('x'), script] }) }),
    );
    const xmp = context.stream('<x:xmpmeta>xmp-marker</x:xmpmeta>', { Type: 'Metadata', Subtype: 'XML' });
    catalog.set(PDFName.of('Metadata'), context.register(xmp));
    await doc.attach(Buffer.from('attachment-marker'), 'payload-marker.exe', { mimeType: 'text/plain' });
    const page = doc.getPage(0);
    page.node.set(PDFName.of('AA'), context.obj({ O: script }));
    const link = context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 100], A: script });
    const file = context.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [0, 0, 9, 9] });
    page.node.set(PDFName.of('Annots'), context.obj([context.register(link), context.register(file)]));
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A checked upload (240×220) of a distinct picture per seed. */
export async function sampleUpload(seed: number, format: 'png' | 'jpeg' = 'png'): Promise<CheckedUpload> {
  const pixels = Buffer.alloc(240 * 220 * 3, seed);
  pixels.fill(255 - seed, 0, 240 * 3 * 20);
  const image = sharp(pixels, { raw: { width: 240, height: 220, channels: 3 } });
  return checkUpload(await (format === 'png' ? image.png() : image.jpeg()).toBuffer());
}

/** A user row, as the documents' foreign key needs. */
export const insertUser = (db: Kysely<Schema>) =>
  insertTestUser(db, { firstName: 'Dana', lastName: 'Reyes' });

/** A started document verification of `userId`, inserted directly. */
export async function insertVerification(db: Kysely<Schema>, userId: string): Promise<string> {
  const id = randomIds.uuid();
  await db
    .insertInto('verifications')
    .values({
      id,
      user_id: userId,
      community: 'military',
      subgroups: '[]',
      status: 'started',
      method: 'document',
      attributes: '{}',
      verified_at: null,
      expires_at: null,
      created_at: 0,
      updated_at: 0,
      reason_code: null,
      note: null,
      reviewer_id: null,
      source_reference: null,
      application_id: null,
      submitted_at: null,
      decided_at: null,
    })
    .execute();
  return id;
}
