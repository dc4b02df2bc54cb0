import { z } from 'zod';
import { HttpUrlSchema, IdSchema, RegionSchema } from './common.js';

/** A JWT claim name, e.g. `groups`, `email` or a namespaced `https://example.com/region`. */
const ClaimNameSchema = z.string().min(1).max(256);

/** JWS algorithms a server may accept for access tokens: asymmetric only (`none` and HMAC never). */
export const JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export const JwsAlgorithmSchema = z.enum(JWS_ALGORITHMS);
export type JwsAlgorithm = z.infer<typeof JwsAlgorithmSchema>;

/**
 * One row of the claim-mapping table: when the token's `claim` equals `value` (or, for an array
 * claim such as `groups`, contains it), the person gets these roles, regions and teams.
 * Every matching row adds to the result.
 */
export const ClaimMappingSchema = z
  .object({
    claim: ClaimNameSchema,
    value: z.union([z.string().max(1000), z.number(), z.boolean()]),
    roles: z.array(IdSchema).default([]),
    regions: z.array(RegionSchema).default([]),
    teams: z.array(IdSchema).default([]),
  })
  .strict();
export type ClaimMapping = z.infer<typeof ClaimMappingSchema>;

/**
 * How the server knows who is calling: the organisation's OpenID Provider, which claims name
 * the person, and the table that turns claims into Hubspoke roles, regions and teams.
 */
export const IdentityConfigSchema = z
  .object({
    /** The OpenID Provider's issuer URL, exactly as it appears in the tokens' `iss`. */
    issuer: HttpUrlSchema,
    /** The `aud` access tokens must carry (the API's resource identifier). */
    audience: z.string().min(1).max(2000),
    /** Where the signing keys are; by default discovered from the issuer's metadata. */
    jwksUri: HttpUrlSchema.optional(),
    /** Accepted signature algorithms; HMAC and `none` are never accepted. */
    algorithms: z.array(JwsAlgorithmSchema).min(1).default(['RS256', 'PS256', 'ES256', 'EdDSA']),
    /** Allowed clock skew for `exp`/`nbf`, in seconds. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
    /** The OAuth client for browser sign-in (authorization code + PKCE); omit to accept only bearer tokens. */
    client: z
      .object({
        id: z.string().min(1).max(500),
        /** A confidential client's secret as `${ENV_NAME}` (read from the environment at run time); omit for a public client. */
        secret: z.string().min(1).max(2000).optional(),
        scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).default(['openid', 'profile', 'email']),
      })
      .strict()
      .optional(),
    /** Which claims name the person. The principal id is `<idClaim>` (default `sub`). */
    claims: z
      .object({
        id: ClaimNameSchema.default('sub'),
        name: ClaimNameSchema.default('name'),
        email: ClaimNameSchema.default('email'),
        /** A claim whose values are region codes, taken as they are. */
        regions: ClaimNameSchema.optional(),
        /** A claim whose values are team ids, taken as they are. */
        teams: ClaimNameSchema.optional(),
      })
      .strict()
      .default({ id: 'sub', name: 'name', email: 'email' }),
    mappings: z.array(ClaimMappingSchema).max(1000).default([]),
  })
  .strict()
  .describe("The server's identity provider and the table mapping its claims to roles, regions and teams");
export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;
export type IdentityConfigInput = z.input<typeof IdentityConfigSchema>;
