import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load.ts';
import { passbackThroughRunningServer } from '../test/documents/support.ts';
import { DURATION_SECONDS, requestsPerSecond, settings } from './flows.ts';
import { startVetted } from './servers.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SIZE = { width: 300, height: 200 };
/** The target: passback at ≥ 0.8× the throughput of plain sharp on the same image. */
const target = { passback_to_sharp_ratio: 0.8 };

/** A 4000×3000 photograph-like JPEG (noise compresses like a photo does, unlike a flat colour). */
async function photo(): Promise<Buffer> {
  return sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Plain sharp in this process: CONNECTIONS concurrent resizes of the same bytes, for DURATION_SECONDS. */
async function plainSharp(bytes: Buffer): Promise<number> {
  const until = Date.now() + DURATION_SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (Date.now() < until) {
      await sharp(bytes)
        .resize(SIZE.width, SIZE.height, { fit: 'inside', withoutEnlargement: true })
        .jpeg()
        .toBuffer();
      done += 1;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return done / ((Date.now() - started) / 1000);
}

/**
 * Document passback of a 4000×3000 JPEG at size=300x200 (decryption, token and grant lookups, the rate
 * limit, the access audit and the resize), against plain sharp resizing the same image in the same run.
 * Vetted runs in its own process; the per-document limit is raised so that the load is not all 429s.
 */
export async function benchPassback() {
  const vetted = await startVetted({ VETTED_DOCUMENT_FETCHES_PER_MINUTE: '100000' });
  try {
    // The setup writes through the same database and master key as the running process.
    const bytes = await photo();
    const { services, database, apiToken, front } = await passbackThroughRunningServer(
      loadConfig(vetted.env),
      {
        contentType: 'image/jpeg',
        bytes,
        width: 4000,
        height: 3000,
        contentHash: createHash('sha256').update(bytes).digest('hex'),
      },
    );
    await services.close();
    await database.close();
    const path = `/api/public/v3/documents/${front}?token=${apiToken}&size=${SIZE.width}x${SIZE.height}`;
    const probe = await fetch(`${vetted.url}${path}`, { method: 'POST' });
    const probeMeta = await sharp(Buffer.from(await probe.arrayBuffer())).metadata();

    const baseline = await plainSharp(bytes);
    const passback = await requestsPerSecond({ url: `${vetted.url}${path}`, requests: [{ method: 'POST' }] });
    const ratio = baseline === 0 ? 0 : Number((passback.rps / baseline).toFixed(3));
    return {
      scenario: 'passback',
      ...settings,
      image: '4000x3000 JPEG',
      image_bytes: bytes.length,
      size: `${SIZE.width}x${SIZE.height}`,
      output: `${probeMeta.width}x${probeMeta.height}`,
      plain_sharp_per_s: Number(baseline.toFixed(1)),
      passback_rps: Number(passback.rps.toFixed(1)),
      passback_to_sharp_ratio: ratio,
      errors: passback.errors,
      non2xx: passback.non2xx,
      target,
      pass:
        probe.status === 200 &&
        passback.errors === 0 &&
        passback.non2xx === 0 &&
        ratio >= target.passback_to_sharp_ratio,
    };
  } finally {
    await vetted.stop();
  }
}
