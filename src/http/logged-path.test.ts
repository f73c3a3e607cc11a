import { describe, expect, it } from 'vitest';
import { loggedPath } from './logged-path.ts';

describe('logged paths', () => {
  it('hides the secrets that travel in a path segment', () => {
    expect(loggedPath('/api/public/v3/documents/vdt_abcdef')).toBe(
      '/api/public/v3/documents/:document_token',
    );
    expect(loggedPath('/developer/invitations/abc_DEF-123')).toBe('/developer/invitations/:token');
    for (const path of [
      '/account/test-invitations/abc_DEF-123',
      '/account/test-invitations/abc_DEF-123/',
      '/Account/Test-Invitations/abc_DEF-123',
    ]) {
      expect(loggedPath(path)).toBe('/account/test-invitations/:token');
    }
  });

  it('keeps every other path as it is', () => {
    for (const path of ['/oauth/token', '/api/public/v3/documents', '/developer/orgs/1/apps/2', '/']) {
      expect(loggedPath(path)).toBe(path);
    }
  });
});
