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

  it('hides them in every variant of those paths', () => {
    for (const path of [
      '/api/public/v3/documents/vdt_abcdef/',
      '/API/PUBLIC/V3/DOCUMENTS/vdt_abcdef',
      '/api//public/v3/documents/vdt_abcdef',
      '/api/public/v3/documents%2Fvdt_abcdef',
      '/api/public/v3/documents/vdt_abcdef/more',
      '/api\\public\\v3\\documents\\vdt_abcdef',
      '/static/../api/public/v3/documents/vdt_abcdef',
      '/./api/public/v3/./documents/vdt_abcdef',
      '/api/public/x/%2e%2e/v3/documents/vdt_abcdef',
    ]) {
      expect(loggedPath(path), path).toBe('/api/public/v3/documents/:document_token');
    }
    expect(loggedPath('/Developer/Invitations/abc/')).toBe('/developer/invitations/:token');
  });

  it('hides a token of Vetted in any other path', () => {
    expect(loggedPath('/api/public/v3/attributes.json/vtd_key')).toBe(
      '/api/public/v3/attributes.json/:secret',
    );
    expect(loggedPath('/x/VDP_abc/y')).toBe('/x/:secret/y');
    expect(loggedPath('/x/vdt%5Fabc')).toBe('/x/:secret');
  });

  it('keeps every other path as it is', () => {
    for (const path of [
      '/oauth/token',
      '/api/public/v3/documents',
      '/api/public/v3/documents/',
      '/api/public/v3/document_tokens/refresh',
      '/developer/orgs/1/apps/2',
      '/bad%E0%A4%A',
      '/',
    ]) {
      expect(loggedPath(path)).toBe(path);
    }
  });
});
