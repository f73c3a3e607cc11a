import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { integrationSnippets, stringLiteral, type SnippetInput } from './snippets.ts';

const confidential: SnippetInput = {
  baseUrl: 'https://id.example.com',
  clientId: 'c0ffee0123456789abcdef',
  redirectUri: 'https://shop.example/auth/vetted/callback?from=console',
  scopes: ['military', 'email'],
  clientType: 'confidential',
};
const publicApp: SnippetInput = {
  ...confidential,
  clientType: 'public',
  redirectUri: 'com.shop.app:/callback',
};

const hostile = `a'b"c$d\`e\\f\ng#{x}\${y}%s\r\u2028\u0000é😀 '\\'`;

const available = (program: string, args: string[]) => spawnSync(program, args).status === 0;
const hasPython = available('python3', ['--version']);
const hasBash = available('bash', ['--version']);

const work = mkdtempSync(join(tmpdir(), 'vetted-snippets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function snippet(input: SnippetInput, language: string): string {
  const found = integrationSnippets(input).find((each) => each.language === language);
  if (found === undefined) throw new Error(`no ${language} snippet`);
  return found.code;
}

describe('integrationSnippets', () => {
  it('gives one snippet per language, each with the client id, redirect URI and endpoints, never a secret', () => {
    for (const input of [confidential, publicApp]) {
      const snippets = integrationSnippets(input);
      expect(snippets.map((each) => each.language)).toEqual([
        // The button sends no PKCE: it is offered to confidential clients only.
        ...(input.clientType === 'confidential' ? ['html'] : []),
        'curl',
        'node',
        'python',
        'ruby',
        'php',
      ]);
      for (const { language, title, code } of snippets) {
        expect(title).not.toBe('');
        expect(code, language).toContain(input.clientId);
        expect(code, language).toContain(input.redirectUri);
        expect(code, language).not.toMatch(/client_secret\s*[:=]\s*['"][^'"$]/i);
        expect(code, language).not.toMatch(/YOUR_CLIENT_SECRET/);
        if (language === 'html') expect(code).not.toContain('SECRET');
        else if (input.clientType === 'confidential') expect(code, language).toContain('CLIENT_SECRET');
        else expect(code, language).not.toContain('CLIENT_SECRET');
      }
    }
  });

  it('uses the server’s issuer and endpoint paths', () => {
    const [html, curl, node, python, ruby, php] = integrationSnippets({
      ...confidential,
      baseUrl: 'https://id.example.com/',
    }).map((each) => each.code);
    expect(html).toContain('<script src="https://id.example.com/js/button.js"></script>');
    expect(html).toContain('data-scope="military"');
    expect(html).toContain('Vetted.completePopup()');
    expect(curl).toContain("'https://id.example.com/oauth/token'");
    expect(curl).toContain("'https://id.example.com/api/public/v3/attributes.json'");
    expect(curl).toContain('https://id.example.com/oauth/authorize?client_id=c0ffee0123456789abcdef&');
    expect(curl).toContain('-u "$CLIENT_ID:$CLIENT_SECRET"');
    expect(node).toContain("new URL('https://id.example.com/oidc')");
    expect(node).toContain('process.env.CLIENT_SECRET');
    expect(python).toContain("token_url = 'https://id.example.com/oauth/token'");
    expect(python).toContain("scope = ['military', 'email']");
    expect(ruby).toContain("issuer: 'https://id.example.com/oidc'");
    expect(ruby).toContain("scope: ['openid', 'military', 'email']");
    expect(php).toContain("'urlAuthorize'            => 'https://id.example.com/oauth/authorize'");
  });

  it('uses PKCE and no secret for a public client', () => {
    const [curl, node, python, ruby, php] = integrationSnippets(publicApp).map((each) => each.code);
    expect(curl).toContain('code_challenge_method=S256');
    expect(curl).toContain('code_verifier=$CODE_VERIFIER');
    expect(curl).not.toContain('-u ');
    expect(node).toContain('client.None()');
    expect(python).toContain("pkce='S256'");
    expect(ruby).toContain('pkce: true');
    expect(php).toContain('PKCE_METHOD_S256');
  });

  it('writes a Node snippet that parses as an ES module', () => {
    for (const input of [confidential, publicApp]) {
      const file = join(work, `snippet-${input.clientType}.mjs`);
      writeFileSync(file, snippet(input, 'node'));
      expect(() => execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' })).not.toThrow();
    }
  });

  it.skipIf(!hasPython)('writes a Python snippet that parses', () => {
    for (const input of [confidential, publicApp]) {
      const code = snippet(input, 'python');
      expect(() =>
        execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code }),
      ).not.toThrow();
    }
  });

  it.skipIf(!hasBash)('writes a shell snippet that parses', () => {
    for (const input of [confidential, publicApp]) {
      expect(() => execFileSync('bash', ['-n'], { input: snippet(input, 'curl') })).not.toThrow();
    }
  });
});

describe('stringLiteral', () => {
  it('writes HTML attribute values that hold the string itself and cannot end the attribute', () => {
    const literal = stringLiteral.html(hostile);
    expect(literal.slice(1, -1)).not.toMatch(/["'<>]/);
    const decoded = literal
      .slice(1, -1)
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(decoded).toBe(hostile);
  });

  it('writes JavaScript literals whose value is the string itself', () => {
    const literal = stringLiteral.node(hostile);
    expect(literal).not.toContain('\n');
    expect(runInNewContext(literal)).toBe(hostile);
  });

  it.skipIf(!hasBash)('writes shell words that expand to the string itself', () => {
    const value = hostile.replace('\u0000', ''); // a shell argument cannot hold NUL
    const printed = execFileSync('bash', ['-c', `printf %s ${stringLiteral.curl(value)}`]);
    expect(printed.toString('utf8')).toBe(value);
  });

  it.skipIf(!hasPython)('writes Python literals whose value is the string itself', () => {
    const literal = stringLiteral.python(hostile);
    const printed = execFileSync(
      'python3',
      ['-c', 'import ast, sys, json; sys.stdout.write(json.dumps(ast.literal_eval(sys.stdin.read())))'],
      { input: literal },
    );
    expect(JSON.parse(printed.toString('utf8'))).toBe(hostile);
  });

  it("writes Ruby and PHP single-quoted literals: only \\\\ and \\' are escapes", () => {
    // Both languages read a single-quoted string the same way.
    const read = (literal: string) => {
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      const body = literal.slice(1, -1);
      expect(body).not.toMatch(/(^|[^\\])(\\\\)*'/);
      return body.replace(/\\([\\'])/g, '$1');
    };
    expect(read(stringLiteral.ruby(hostile))).toBe(hostile);
    expect(read(stringLiteral.php(hostile))).toBe(hostile);
    expect(stringLiteral.php("it's \\")).toBe("'it\\'s \\\\'");
  });
});
