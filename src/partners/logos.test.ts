import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectLogoFormat, MAX_LOGO_BYTES, processLogo } from './logos.ts';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

/** Deterministic noise: compresses badly, so a truncated file really lacks pixel data. */
function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 1;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return pixels;
}

const svg = (body: string, prologue = '') =>
  Buffer.from(
    `${prologue}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50">${body}</svg>`,
  );
const rect = '<rect width="100" height="50" fill="#1e90ff"/>';

async function expectPng(png: Buffer) {
  const metadata = await sharp(png).metadata();
  expect(metadata.format).toBe('png');
  expect(metadata.exif).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  return metadata;
}

describe('processLogo: raster images', () => {
  it('keeps a small PNG at its size', async () => {
    const logo = await processLogo(await solid(120, 80).png().toBuffer());
    expect(logo).toMatchObject({ width: 120, height: 80 });
    expect(await expectPng(logo.png)).toMatchObject({ width: 120, height: 80 });
  });

  it('turns a JPEG into a PNG, applying its orientation and dropping its metadata', async () => {
    const jpeg = await solid(200, 100)
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: 'Phone' } })
      .jpeg()
      .toBuffer();
    const logo = await processLogo(jpeg);
    expect(logo).toMatchObject({ width: 100, height: 200 });
    expect((await expectPng(logo.png)).orientation).toBeUndefined();
  });

  it('fits a large image inside 256×256, keeping its aspect ratio', async () => {
    const logo = await processLogo(await solid(2000, 1000).png().toBuffer());
    expect(logo).toMatchObject({ width: 256, height: 128 });
    expect(await expectPng(logo.png)).toMatchObject({ width: 256, height: 128 });
  });

  it('refuses a truncated PNG as invalid', async () => {
    const png = await sharp(noise(200, 150), { raw: { width: 200, height: 150, channels: 3 } })
      .png()
      .toBuffer();
    await expect(processLogo(png.subarray(0, Math.floor(png.length * 0.6)))).rejects.toMatchObject({
      code: 'partners.logo_invalid',
      status: 400,
    });
  });

  it('refuses an image of more than 40 megapixels before decoding it', async () => {
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#000' } })
      .greyscale()
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(MAX_LOGO_BYTES);
    await expect(processLogo(bomb)).rejects.toMatchObject({
      code: 'partners.logo_invalid',
      message: expect.stringContaining('too many pixels') as string,
    });
  });

  it('refuses a file over 512 KB before looking at it', async () => {
    const big = await sharp(noise(480, 480), { raw: { width: 480, height: 480, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(600 * 1024);
    await expect(processLogo(big)).rejects.toMatchObject({ code: 'partners.logo_too_large', status: 413 });
    await expect(processLogo(Buffer.alloc(MAX_LOGO_BYTES + 1))).rejects.toMatchObject({
      code: 'partners.logo_too_large',
    });
  });

  it('refuses text, a GIF and an empty file as unsupported', async () => {
    for (const input of [
      Buffer.from('hello, this is not an image\n'),
      await solid(10, 10).gif().toBuffer(),
      Buffer.alloc(0),
      Buffer.from('<html><svg></svg></html>'),
    ]) {
      await expect(processLogo(input)).rejects.toMatchObject({
        code: 'partners.logo_unsupported',
        status: 400,
      });
    }
  });
});

describe('processLogo: SVG', () => {
  it('rasterizes an SVG to a PNG that fits the box; a script in it is simply not there any more', async () => {
    const logo = await processLogo(svg(`${rect}<script>alert(document.cookie)</script>`));
    expect(logo).toMatchObject({ width: 256, height: 128 });
    expect(logo.png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(logo.png.includes(Buffer.from('script'))).toBe(false);
    expect(logo.png.includes(Buffer.from('alert'))).toBe(false);
    const { data, info } = await sharp(logo.png).raw().toBuffer({ resolveWithObject: true });
    const centre = (64 * info.width + 128) * info.channels;
    expect([...data.subarray(centre, centre + 3)]).toEqual([0x1e, 0x90, 0xff]);
  });

  it('recognises an SVG after a BOM, an XML declaration, comments and a doctype', async () => {
    const prologue =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n';
    const input = svg(rect, prologue);
    expect(detectLogoFormat(input)).toBe('svg');
    expect(await processLogo(input)).toMatchObject({ width: 256, height: 128 });
  });

  it('accepts fragment links and embedded raster images', async () => {
    const png = (await solid(4, 4).png().toBuffer()).toString('base64');
    const body =
      `<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>` +
      `<rect width="100" height="50" fill="url(#g)"/><use xlink:href="#g"/>` +
      `<image href="data:image/png;base64,${png}" width="4" height="4"/>`;
    expect(await processLogo(svg(body))).toMatchObject({ width: 256, height: 128 });
  });

  it('refuses an SVG that refers to an external resource', async () => {
    for (const body of [
      '<image href="https://tracker.example/pixel.png" width="10" height="10"/>',
      "<image xlink:href='file:///etc/passwd' width='10' height='10'/>",
      '<use href="other.svg#logo"/>',
      '<image href="&#104;ttp://evil.example/x.png"/>',
      '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
      '<rect width="10" height="10" fill="url(https://evil.example/p.svg#g)"/>',
      '<rect width="10" height="10" style="fill: url(\'//evil.example/p.svg#g\')"/>',
      '<style>@import "https://evil.example/a.css";</style>',
    ]) {
      await expect(processLogo(svg(body)), body).rejects.toMatchObject({
        code: 'partners.logo_invalid',
        status: 400,
      });
    }
    const stylesheet = svg(rect, '<?xml-stylesheet href="https://evil.example/a.css"?>');
    await expect(processLogo(stylesheet)).rejects.toMatchObject({ code: 'partners.logo_invalid' });
  });

  it('refuses an SVG that declares entities (XXE, billion laughs)', async () => {
    const xxe = svg(
      '<text y="20">&x;</text>',
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    );
    expect(detectLogoFormat(xxe)).toBe('svg');
    await expect(processLogo(xxe)).rejects.toMatchObject({ code: 'partners.logo_invalid', status: 400 });
    const laughs = svg(
      '<text y="20">&lol3;</text>',
      '<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;">]>',
    );
    await expect(processLogo(laughs)).rejects.toMatchObject({ code: 'partners.logo_invalid' });
  });

  it('refuses a malformed SVG as invalid', async () => {
    await expect(
      processLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect')),
    ).rejects.toMatchObject({ code: 'partners.logo_invalid', status: 400 });
  });
});
