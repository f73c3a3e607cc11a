import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/verification/types.ts';
import { registerUser, startOidcServer } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** A community's methods are enforced by the engine, not only by which forms the page shows. */
describe('methods a community offers', () => {
  let server: TestServer;
  let military: Community;

  beforeAll(async () => {
    server = await startOidcServer();
    military = (await server.services.communities.find('military'))!;
  });
  afterAll(() => server.stop());

  async function person() {
    const user = await registerUser(server);
    return {
      userId: user.id,
      email: user.email,
      emailVerified: true,
      firstName: 'Sean',
      lastName: 'Moen',
      testPersona: null,
    };
  }

  it('refuses an email code or a document for a community that does not list the method', async () => {
    const documentsOnly = { ...military, methods: ['document' as const] };
    await expect(
      server.services.engine.sendEmailCode({
        person: await person(),
        community: documentsOnly,
        address: 'me@army.mil',
        ip: '192.0.2.1',
      }),
    ).rejects.toMatchObject({ code: 'verification.method_not_offered', status: 400 });
    const emailOnly = { ...military, methods: ['email_domain' as const] };
    const front = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    await expect(
      server.services.engine.submitDocument({
        person: await person(),
        community: emailOnly,
        subgroup: 'Veteran',
        documentType: 'dd214',
        front,
        ip: '192.0.2.1',
      }),
    ).rejects.toMatchObject({ code: 'verification.method_not_offered' });
    expect(
      await server.services.engine.offeredMethods({
        person: await person(),
        community: emailOnly,
        sandboxApp: false,
      }),
    ).toEqual(['email_domain']);
  });
});
