import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, exampleHub, pgUrl, testServer, type ExampleHub, type TestServer } from '../test-support.js';

const AUDIENCE = 'https://hub.example.com/api';

interface Key {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  spki: string;
}

async function newKey(kid: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    spki: await exportSPKI(publicKey),
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

if (pgUrl === undefined) it.skip('OIDC bearer tokens over postgres: needs HUBSPOKE_TEST_PG_URL', () => undefined);

describe.each(BACKENDS)('OIDC bearer tokens (jose against a JWKS served on 127.0.0.1) over %s', (backend) => {
  let example: ExampleHub;
  let idp: Server;
  let issuer: string;
  let published: JWK[] = [];
  let jwksFetches = 0;
  let server: TestServer;
  let keyA: Key;
  let keyB: Key;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  const token = (key: Key, claims: Record<string, unknown> = {}, alg = key.publicJwk.alg ?? 'ES256') =>
    new SignJWT({ groups: ['dach-marketing'], name: 'Lena Vogel', email: 'lena@example.com', ...claims })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer((claims.iss as string | undefined) ?? issuer)
      .setAudience((claims.aud as string | undefined) ?? AUDIENCE)
      .setSubject('00u-lena')
      .setIssuedAt()
      .setExpirationTime((claims.exp as number | undefined) ?? nowSeconds() + 300)
      .sign(key.privateKey);

  const call = (bearer: string) => server.fetch('/api/session', { headers: { authorization: `Bearer ${bearer}` } });
  const refused = async (bearer: string, reason: RegExp) => {
    const res = await call(bearer);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('E_AUTH');
    expect(body.detail).toMatch(reason);
  };

  beforeAll(async () => {
    example = await exampleHub(backend);
    keyA = await newKey('key-a');
    keyB = await newKey('key-b', 'RS256');
    published = [keyA.publicJwk];
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') {
        jwksFetches++;
        res.end(JSON.stringify({ keys: published }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${String((idp.address() as AddressInfo).port)}`;
    server = await testServer({
      hub: example.hub,
      dev: false,
      identity: {
        issuer,
        audience: AUDIENCE,
        claims: { id: 'email', regions: 'region' },
        mappings: [
          { claim: 'groups', value: 'dach-marketing', roles: ['spoke-marketer'], regions: ['DACH'], teams: ['berlin'] },
          { claim: 'groups', value: 'legal', roles: ['legal-reviewer'] },
        ],
      },
      jwksCooldownMs: 0,
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) =>
      idp.close(() => {
        resolve();
      }),
    );
    await server.server.close();
    await example.cleanup();
  });

  it('accepts a valid token and maps its claims to roles, region and team', async () => {
    const res = await call(await token(keyA, { region: ['DE', 'bad region!'] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.principal).toEqual({
      id: 'lena@example.com',
      name: 'Lena Vogel',
      email: 'lena@example.com',
      roles: ['spoke-marketer'],
      regions: ['DACH', 'DE'],
      teams: ['berlin'],
      groups: [],
      issuer,
      subject: '00u-lena',
    });
    expect(body.identity).toEqual({ issuer, subject: '00u-lena', name: 'Lena Vogel' });
    expect(body.via).toBe('bearer');
  });

  it("the provider's people reach the approvals with the roles their claims give, without a directory entry", async () => {
    const res = await server.fetch('/api/submissions', {
      headers: { authorization: `Bearer ${await token(keyA)}` },
    });
    expect(res.status).toBe(200);
  });

  it('refuses an expired token, but allows a few seconds of clock skew', async () => {
    await refused(await token(keyA, { exp: nowSeconds() - 60 }), /expired/);
    expect((await call(await token(keyA, { exp: nowSeconds() - 2 }))).status).toBe(200);
  });

  it('refuses a token that is not valid yet', async () => {
    await refused(await token(keyA, { nbf: nowSeconds() + 120 }), /not valid yet/);
  });

  it('refuses another issuer and another audience', async () => {
    await refused(await token(keyA, { iss: 'https://evil.example.com' }), /another issuer/);
    await refused(await token(keyA, { aud: 'https://other.example.com/api' }), /another audience/);
  });

  it('refuses alg none', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: issuer, aud: AUDIENCE, sub: 'x', exp: nowSeconds() + 60 })}.`;
    await refused(unsigned, /algorithm is not allowed|not a well-formed/);
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const forged = await new SignJWT({ groups: ['legal'] })
      .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject('mallory')
      .setExpirationTime(nowSeconds() + 60)
      .sign(new TextEncoder().encode(keyA.spki));
    await refused(forged, /algorithm is not allowed/);
  });

  it('refuses an unknown kid and a bad signature', async () => {
    const stranger = await newKey('key-x');
    await refused(await token(stranger), /key the issuer does not publish/);
    const impostor = { ...stranger, kid: keyA.kid };
    await refused(await token(impostor), /signature does not verify/);
  });

  it('picks up a rotated key without a restart', async () => {
    expect((await call(await token(keyA))).status).toBe(200);
    const before = jwksFetches;
    published = [keyB.publicJwk, keyA.publicJwk];
    expect((await call(await token(keyB))).status).toBe(200);
    expect(jwksFetches).toBe(before + 1);
    // The old key retired: once the keys are fetched again, its tokens stop working.
    published = [keyB.publicJwk];
    await refused(await token(await newKey('key-c')), /does not publish/);
    await refused(await token(keyA), /does not publish/);
  });

  it('a malformed Authorization header is a 401, not anonymous access', async () => {
    const res = await server.fetch('/api/session', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    await refused('not-a-jwt', /not a well-formed JWT/);
  });
});
