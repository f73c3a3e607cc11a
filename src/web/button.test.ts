import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

interface ButtonOptions {
  scopes: string[];
  clientId: string;
  redirectUri: string;
  responseType: string;
  state: string | null;
  op: string | null;
  display: string;
  logo: string | null;
  text: string | null;
  theme: string;
  size: string;
}

interface VettedGlobal {
  readOptions(element: { getAttribute(name: string): string | null }): {
    options?: ButtonOptions;
    problem?: string;
  };
  verificationUrl(options: ButtonOptions, origin: string): string;
}

/** The script as browsers get it, run in a context with no document: only its pure functions are used. */
function loadScript(): { Vetted: VettedGlobal; globals: string[] } {
  const source = readFileSync(new URL('./static/js/button.js', import.meta.url), 'utf8');
  const context: Record<string, unknown> = { URL, URLSearchParams, console };
  context.window = context;
  const before = new Set(Object.keys(context));
  runInNewContext(source, context);
  return {
    Vetted: context.Vetted as VettedGlobal,
    globals: Object.keys(context).filter((name) => !before.has(name)),
  };
}

const { Vetted, globals } = loadScript();

it('adds one global, the Vetted namespace', () => {
  expect(globals).toEqual(['Vetted']);
});
const element = (attributes: Record<string, string>) => ({
  getAttribute: (name: string) => attributes[name] ?? null,
});
const required = {
  'data-scope': 'military',
  'data-client-id': 'client-123',
  'data-redirect': 'https://shop.example/callback',
};

describe('the button script reads its data-* attributes', () => {
  it('takes the required ones and defaults the rest: code, full page, light, medium', () => {
    expect(Vetted.readOptions(element(required))).toEqual({
      options: {
        scopes: ['military'],
        clientId: 'client-123',
        redirectUri: 'https://shop.example/callback',
        responseType: 'code',
        state: null,
        op: null,
        display: 'fullpage',
        logo: null,
        text: null,
        theme: 'light',
        size: 'medium',
      },
    });
  });

  it('reads every optional attribute, case-insensitively for the choices', () => {
    const { options } = Vetted.readOptions(
      element({
        ...required,
        'data-response': 'token',
        'data-state': ' abc ',
        'data-op': 'signup',
        'data-display': 'Popup',
        'data-logo': 'https://shop.example/logo.png',
        'data-text': 'Get 15% off',
        'data-theme': 'dark',
        'data-size': 'large',
      }),
    );
    expect(options).toMatchObject({
      responseType: 'token',
      state: 'abc',
      op: 'signup',
      display: 'popup',
      logo: 'https://shop.example/logo.png',
      text: 'Get 15% off',
      theme: 'dark',
      size: 'large',
    });
  });

  it('accepts the older plural data-scopes, and several comma-separated communities', () => {
    const plural = { ...required, 'data-scope': '', 'data-scopes': 'military, responder,,' };
    expect(Vetted.readOptions(element(plural)).options?.scopes).toEqual(['military', 'responder']);
    const spaced = { ...required, 'data-scope': 'openid  military' };
    expect(Vetted.readOptions(element(spaced)).options?.scopes).toEqual(['openid military']);
  });

  it.each([
    [{ 'data-scope': '' }, 'data-scope is missing'],
    [{ 'data-scope': ' , ' }, 'data-scope is empty'],
    [{ 'data-scope': 'mili<tary' }, 'data-scope has an invalid scope: "mili<tary"'],
    [{ 'data-client-id': '' }, 'data-client-id is missing'],
    [{ 'data-redirect': '' }, 'data-redirect is missing'],
    [{ 'data-redirect': '/callback' }, 'data-redirect must be an absolute http(s) URL'],
    [{ 'data-redirect': 'javascript:alert(1)' }, 'data-redirect must be an absolute http(s) URL'],
    [{ 'data-response': 'id_token' }, 'data-response="id_token" must be one of: code, token'],
    [{ 'data-display': 'modal' }, 'data-display="modal" must be one of: fullpage, popup'],
    [{ 'data-op': 'login' }, 'data-op="login" must be one of: signin, signup'],
    [{ 'data-theme': 'green' }, 'data-theme="green" must be one of: light, dark'],
    [{ 'data-size': 'huge' }, 'data-size="huge" must be one of: small, medium, large'],
    [{ 'data-logo': 'logo.png' }, 'data-logo must be an absolute URL'],
  ])('names the problem with %o', (change, problem) => {
    const read = Vetted.readOptions(element({ ...required, ...change }));
    expect(read.options).toBeUndefined();
    expect(read.problem).toContain(problem);
  });
});

describe('the button script builds the URL it sends the user to', () => {
  const origin = 'https://vetted.example';
  const read = (attributes: Record<string, string>) =>
    Vetted.readOptions(element({ ...required, ...attributes })).options!;

  it('goes to the authorization endpoint for one community, with every parameter', () => {
    const url = new URL(
      Vetted.verificationUrl(
        read({ 'data-state': 's t', 'data-op': 'signin', 'data-logo': 'https://shop.example/l.png' }),
        origin,
      ),
    );
    expect(url.origin + url.pathname).toBe('https://vetted.example/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-123',
      redirect_uri: 'https://shop.example/callback',
      response_type: 'code',
      scope: 'military',
      state: 's t',
      op: 'signin',
      logo_url: 'https://shop.example/l.png',
    });
  });

  it('goes to the community picker with ID.me’s plural `scopes` for several communities', () => {
    const url = new URL(Vetted.verificationUrl(read({ 'data-scope': 'military,responder' }), origin));
    expect(url.pathname).toBe('/groups');
    expect(url.searchParams.get('scopes')).toBe('military,responder');
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('state')).toBe(false);
  });
});
