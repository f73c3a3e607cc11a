import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startOidcServer } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import { blobFiles } from './support.ts';

/** Two uploads resuming one verification at once: one is submitted, the other's images are not kept. */
describe('concurrent uploads', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  it('keeps only the images of the upload that was submitted', async () => {
    const user = await registerUser(server);
    const military = (await server.services.communities.find('military'))!;
    const person = {
      userId: user.id,
      email: user.email,
      emailVerified: true,
      firstName: 'Sean',
      lastName: 'Moen',
      testPersona: null,
    };
    const image = (color: string) =>
      sharp({ create: { width: 700, height: 500, channels: 3, background: color } })
        .png()
        .toBuffer();
    const upload = async (color: string) =>
      server.services.engine.submitDocument({
        person,
        community: military,
        subgroup: 'Veteran',
        documentType: 'dd214',
        front: await image(color),
        ip: '198.51.100.4',
      });
    const first = await upload('#111111');
    await server.services.review.requestResubmission(
      first.id,
      { reasonCode: 'illegible' },
      { actor: { type: 'reviewer', id: 'rita' } },
    );
    const before = blobFiles(server).length;
    // Both uploads must find the attempt to resume before either submits: otherwise the one whose image
    // check finishes first may be done before the other looks, and the other rightly starts a new attempt.
    // So the real latestFor is held until both have asked (the interleaving is forced, nothing is faked).
    const { verification } = server.services;
    const latestFor = verification.latestFor.bind(verification);
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    verification.latestFor = async (...args) => {
      arrived += 1;
      if (arrived === 2) release();
      await bothAsked;
      return latestFor(...args);
    };
    const outcomes = await Promise.allSettled([upload('#222222'), upload('#333333')]).finally(() => {
      verification.latestFor = latestFor;
    });
    expect(arrived).toBe(2);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect((await server.services.verification.findById(first.id))?.status).toBe('evidence_submitted');
    // The first upload's image, and one of the two new ones.
    expect(await server.services.documents.listForVerification(first.id)).toHaveLength(2);
    expect(blobFiles(server).length).toBe(before + 1);
  });
});
