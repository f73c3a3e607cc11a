import { createHash } from 'node:crypto';
import type { Actor } from '../audit/audit-service.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { ApplicationService } from './application-service.ts';
import { processLogo } from './logos.ts';

const LOGO_PATH = /^[0-9a-f]{1,64}$/;

/**
 * Uploaded logos: checked and re-encoded as PNG (logos.ts), kept in the blob store, served by Vetted at
 * `/logos/<client_id>/<digest>.png` (a new URL for each logo, so that it can be cached for good).
 */
export function createApplicationLogos(deps: {
  applications: ApplicationService;
  blobs: BlobStore;
  baseUrl: string;
}) {
  const { applications, blobs } = deps;
  const blobKey = (applicationId: string, digest: string) => `logo-${applicationId}-${digest}`;

  return {
    async upload(
      clientId: string,
      bytes: Buffer,
      actor: Actor,
    ): Promise<{ url: string; width: number; height: number }> {
      const application = await applications.get(clientId);
      const logo = await processLogo(bytes);
      const digest = createHash('sha256').update(logo.png).digest('hex').slice(0, 16);
      const key = blobKey(application.id, digest);
      await blobs.put(key, logo.png);
      const url = `${deps.baseUrl}/logos/${clientId}/${digest}.png`;
      const { previousBlobKey } = await applications.setLogo(clientId, { blobKey: key, url }, actor);
      if (previousBlobKey !== null && previousBlobKey !== key) await blobs.delete(previousBlobKey);
      return { url, width: logo.width, height: logo.height };
    },

    async remove(clientId: string, actor: Actor): Promise<void> {
      const { previousBlobKey } = await applications.setLogo(clientId, null, actor);
      if (previousBlobKey !== null) await blobs.delete(previousBlobKey);
    },

    /** The PNG for `/logos/<clientId>/<digest>.png`; undefined unless that is the application's logo now. */
    async image(clientId: string, digest: string): Promise<Buffer | undefined> {
      if (!LOGO_PATH.test(digest)) return undefined;
      const application = await applications.findByClientId(clientId);
      if (application === undefined || application.logoBlobKey !== blobKey(application.id, digest))
        return undefined;
      return blobs.get(application.logoBlobKey);
    },

    /** Deletes the stored logo of an application being deleted. */
    async forget(logoBlobKey: string | null): Promise<void> {
      if (logoBlobKey !== null) await blobs.delete(logoBlobKey);
    },
  };
}

export type ApplicationLogos = ReturnType<typeof createApplicationLogos>;
