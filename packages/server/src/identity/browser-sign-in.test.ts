// Browser sign-in end to end: a real OpenID Provider (oidc-provider) on 127.0.0.1, the Hubspoke
// server on 127.0.0.1, and Debian Chromium driven by playwright-core through the whole flow.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp, type HubspokeServerApp } from '../app.js';
import { launchChromium } from '../browser-support.js';
import type { LogEntry } from '../log.js';
import { listen, type RunningServer } from '../serve.js';
import { BACKENDS, exampleHub, pgUrl, type ExampleHub } from '../test-support.js';

const CHROMIUM = process.env.HUBSPOKE_TEST_CHROMIUM;
const SKIP_REASON = 'set HUBSPOKE_TEST_CHROMIUM (e.g. /usr/bin/chromium) to run the browser sign-in test';
if (CHROMIUM === undefined) console.warn(`browser-sign-in.test.ts skipped: ${SKIP_REASON}`);

const AUDIENCE = 'https://hub.example.com/api';

/** The people the provider knows: its own subject ids, names and groups, nothing Hubspoke-shaped. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'lena.vogel': {
    sub: '00u-lena',
    name: 'Lena Vogel',
    email: 'lena@example.com',
    email_verified: true,
    groups: ['emea-marketing'],
  },
};

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

describe.skipIf(CHROMIUM === undefined)(`browser sign-in against oidc-provider in Chromium (${SKIP_REASON})`, () => {
  // One browser for the file; the provider, the hub and its database per database kind.
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });

  if (pgUrl === undefined) it.skip('over postgres: needs HUBSPOKE_TEST_PG_URL', () => undefined);

  describe.each(BACKENDS)('over %s', (backend) => {
    let example: ExampleHub;
    let opHttp: Server;
    let issuer: string;
    let hubUrl: string;
    let app: HubspokeServerApp;
    let running: RunningServer;
    const logs: LogEntry[] = [];
    let appDir: string;

    beforeAll(async () => {
      example = await exampleHub(backend);
      appDir = await mkdtemp(path.join(tmpdir(), 'hubspoke-web-'));
      await writeFile(path.join(appDir, 'index.html'), '<!doctype html><title>Hubspoke</title><h1>Hubspoke</h1>');
      // The provider's HTTP server first (its issuer URL names its port), then the provider itself.
      opHttp = createServer();
      await new Promise<void>((resolve) => opHttp.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${String((opHttp.address() as AddressInfo).port)}`;
      const hubPort = await freePort();
      hubUrl = `http://127.0.0.1:${String(hubPort)}`;

      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: 'hubspoke-web',
            token_endpoint_auth_method: 'none', // a public client: PKCE is required
            redirect_uris: [`${hubUrl}/auth/callback`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        claims: { openid: ['sub'], profile: ['name', 'groups'], email: ['email', 'email_verified'] },
        findAccount: (_ctx, id) => {
          const account = Object.values(ACCOUNTS).find((a) => a.sub === id);
          if (account === undefined) return undefined;
          return { accountId: id, claims: () => ({ ...account, sub: id }) };
        },
        cookies: { keys: ['a test-only cookie signing key'] },
        ttl: { Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, Interaction: 600, AuthorizationCode: 60 },
      });
      // devInteractions (the default) accept any password; the login is the account's sub.
      const callback = provider.callback();
      opHttp.on('request', (req, res) => {
        void callback(req, res);
      });

      app = await createServerApp({
        hub: example.hub,
        publicUrl: hubUrl,
        webApp: appDir, // a stand-in web app, served under the web app's CSP (connect-src 'self')
        log: (entry) => {
          logs.push(entry);
        },
        identity: {
          issuer,
          audience: AUDIENCE,
          client: { id: 'hubspoke-web' },
          claims: { id: 'email' },
          mappings: [
            {
              claim: 'groups',
              value: 'emea-marketing',
              roles: ['spoke-marketer'],
              regions: ['EMEA'],
              teams: ['berlin'],
            },
          ],
        },
      });
      running = await listen(app, { host: '127.0.0.1', port: hubPort });
    });

    afterAll(async () => {
      await running.close();
      await new Promise<void>((resolve) => {
        opHttp.closeAllConnections();
        opHttp.close(() => {
          resolve();
        });
      });
      await rm(appDir, { recursive: true, force: true });
      await example.cleanup();
    });

    it('code flow with PKCE: provider login and consent, a __Host- session, an API call and a CSRF-checked POST', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();

      // 1. The hub sends the browser to the provider with a PKCE challenge.
      const authRequests: URL[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin === issuer && url.pathname === '/auth') authRequests.push(url);
      });
      await page.goto(`${hubUrl}/auth/login?returnTo=/review`);
      expect(new URL(page.url()).origin).toBe(issuer);
      expect(authRequests).toHaveLength(1);
      const auth = authRequests[0]!;
      expect(auth.searchParams.get('client_id')).toBe('hubspoke-web');
      expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
      expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(auth.searchParams.get('redirect_uri')).toBe(`${hubUrl}/auth/callback`);

      // 2. The provider's own login and consent pages.
      await page.fill('input[name="login"]', '00u-lena');
      await page.fill('input[name="password"]', 'any password');
      await Promise.all([page.waitForURL(/\/interaction\//), page.click('button[type="submit"]')]);
      await Promise.all([page.waitForURL(`${hubUrl}/review`), page.click('button[type="submit"]')]);

      // 3. Back on the hub (the web app's /review), signed in: the callback set the session cookie.
      const cookies = await context.cookies(hubUrl);
      const session = cookies.find((c) => c.name === '__Host-hubspoke-session');
      expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/', domain: '127.0.0.1' });
      expect(cookies.find((c) => c.name === '__Host-hubspoke-signin')).toBeUndefined(); // the state cookie is spent
      expect(await page.evaluate<string>('document.cookie')).not.toContain('hubspoke-session'); // HttpOnly

      expect(await page.textContent('h1')).toBe('Hubspoke');
      const me = await page.evaluate(
        async () => (await (await fetch('/api/session')).json()) as Record<string, unknown>,
      );
      expect(me).toMatchObject({
        via: 'session',
        dev: false,
        principal: {
          id: 'lena@example.com',
          name: 'Lena Vogel',
          roles: ['spoke-marketer'],
          regions: ['EMEA'],
          teams: ['berlin'],
          issuer,
          subject: '00u-lena',
        },
        identity: { issuer, subject: '00u-lena', name: 'Lena Vogel' },
      });
      const csrf = me.csrfToken as string;
      expect(csrf).toMatch(/^\w{20,}$/);

      // 4. An authenticated API call and a CSRF-protected POST, from the page, as the web app makes them.
      const results = await page.evaluate(async (token) => {
        const body = JSON.stringify({ id: 'oidc-spring', name: 'Frühling', template: { id: 'seasonal-newsletter' } });
        const post = (headers: Record<string, string>) =>
          fetch('/api/drafts', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const list = await fetch('/api/templates');
        const withoutToken = await post({});
        const withToken = await post({ 'x-csrf-token': token });
        return {
          list: list.status,
          withoutToken: { status: withoutToken.status, body: (await withoutToken.json()) as Record<string, unknown> },
          withToken: { status: withToken.status, body: (await withToken.json()) as Record<string, unknown> },
        };
      }, csrf);
      expect(results.list).toBe(200);
      expect(results.withoutToken.status).toBe(403);
      expect(results.withoutToken.body).toMatchObject({ code: 'E_FORBIDDEN' });
      expect(results.withToken.status, JSON.stringify(results.withToken.body)).toBe(201);
      expect(results.withToken.body).toMatchObject({
        draft: { id: 'oidc-spring', author: 'lena@example.com', region: 'EMEA', team: 'berlin' },
      });

      // 5. A page of another origin on the same site (127.0.0.1, another port: the cookie is sent) cannot
      //    use the session: refused before anything is written (a JSON POST would not pass CORS preflight).
      const attacker = createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><title>elsewhere</title>');
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      const opPage = await context.newPage();
      await opPage.goto(`http://127.0.0.1:${String((attacker.address() as AddressInfo).port)}/`);
      await opPage.evaluate(async (target) => {
        for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
          // The request is sent; reading the answer fails too (Cross-Origin-Resource-Policy: same-origin).
          await fetch(`${target}/api/tokens`, {
            method: 'POST',
            mode: 'no-cors',
            credentials: 'include',
            headers: { 'content-type': contentType },
            body: JSON.stringify({ name: 'planted', scopes: ['drafts:read'] }),
          }).catch(() => undefined);
        }
      }, hubUrl);
      const refused = logs.filter((l) => l.path === '/api/tokens' && l.method === 'POST');
      expect(refused.map((l) => l.status)).toEqual([415, 415]);
      const tokens = await page.evaluate(
        async () => ((await (await fetch('/api/tokens')).json()) as { tokens: unknown[] }).tokens,
      );
      expect(tokens).toEqual([]);
      await opPage.close();
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => {
        attacker.close(() => {
          resolve();
        });
      });

      // 6. Sign-out ends the session.
      const after = await page.evaluate(async (token) => {
        await fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': token } });
        return (await fetch('/api/session')).status;
      }, csrf);
      expect(after).toBe(401);
      await context.close();
    });

    it('a callback this browser did not start is refused', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const res = await page.goto(`${hubUrl}/auth/callback?code=stolen&state=someone-elses`);
      expect(res?.status()).toBe(400);
      expect(await res?.json()).toMatchObject({ code: 'E_AUTH' });
      expect((await context.cookies(hubUrl)).map((c) => c.name)).not.toContain('__Host-hubspoke-session');
      await context.close();
    });
  });
});
