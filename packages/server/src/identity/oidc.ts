import { HubspokeError, type IdentityConfig } from '@hubspoke/core';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError } from '../problem.js';

/** A JWT access token as the IdP's discovery document describes it. */
export interface BearerVerifier {
  verify(token: string): Promise<JWTPayload>;
}

/** Loopback issuers are test and local IdPs: the only ones allowed over plain http. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

function authError(reason: string, cause?: unknown): HttpError {
  return new HttpError(401, 'E_AUTH', `The bearer token was refused: ${reason}`, {
    cause,
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${reason}"` },
  });
}

/** A readable reason for a jose failure; the token itself is never quoted. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return 'it is not valid yet';
      case 'iss':
        return 'it was issued by another issuer';
      case 'aud':
        return 'it is meant for another audience';
      case 'iat':
        return 'it was issued in the future';
      default:
        return `its "${error.claim}" claim is invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its signature algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'it is signed with a key the issuer does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWKSTimeout) return "the issuer's keys could not be fetched in time";
  if (error instanceof errors.JOSENotSupported) return 'it uses an unsupported algorithm or key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'it is not a well-formed JWT';
  return 'it could not be verified';
}

/** The issuer's metadata (discovery), checked to be about that issuer. */
export async function discover(issuer: string, fetchImpl: typeof fetch = fetch): Promise<Record<string, unknown>> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new HubspokeError('E_UPSTREAM', `The identity provider at ${issuer} could not be reached`, { cause });
  }
  const metadata = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || metadata?.issuer !== issuer) {
    throw new HubspokeError('E_UPSTREAM', `${url} did not answer with metadata for issuer ${issuer}`, {
      details: { status: response.status },
    });
  }
  return metadata;
}

/**
 * Verifies access tokens with jose against the IdP's published keys: issuer, audience, expiry
 * and not-before with a small clock tolerance, an allow-list of asymmetric algorithms (never
 * `none` or HMAC). An unknown `kid` triggers one key refetch (at most every 30 s), so rotated
 * keys are picked up without a restart.
 */
export function createBearerVerifier(
  config: IdentityConfig,
  options: { now?: () => number; fetch?: typeof fetch; cooldownMs?: number } = {},
): BearerVerifier {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const jwks = () => {
    keys ??= (async () => {
      const uri = config.jwksUri ?? (await discover(config.issuer, options.fetch)).jwks_uri;
      if (typeof uri !== 'string') throw new HubspokeError('E_UPSTREAM', `${config.issuer} publishes no jwks_uri`);
      return createRemoteJWKSet(new URL(uri), {
        cooldownDuration: options.cooldownMs ?? 30_000,
        cacheMaxAge: 600_000,
        timeoutDuration: 5_000,
      });
    })().catch((error: unknown) => {
      keys = undefined; // try discovery again on the next request
      throw error;
    });
    return keys;
  };
  return {
    async verify(token) {
      const keySet = await jwks();
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...config.algorithms],
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp', 'sub'],
          ...(options.now === undefined ? {} : { currentDate: new Date(options.now()) }),
        });
        return payload;
      } catch (error) {
        throw authError(reasonFor(error), error);
      }
    },
  };
}
