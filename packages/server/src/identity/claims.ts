import {
  HubspokeError,
  PrincipalSchema,
  RegionSchema,
  IdSchema,
  safeParse,
  type IdentityConfig,
  type OperatingModel,
  type Principal,
} from '@hubspoke/core';
import type { Identity } from './types.js';

function claimValues(claims: Record<string, unknown>, name: string): unknown[] {
  const value = claims[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;

/**
 * The Hubspoke principal a set of verified claims stands for: the id from `claims.id`, roles,
 * regions and teams from every matching row of the mapping table (plus the region and team claims,
 * when configured). Values that are not valid region or team codes are left out, never guessed at.
 */
export function principalFromClaims(
  claims: Record<string, unknown>,
  config: IdentityConfig,
): { principal: Principal; identity: Identity } {
  const issuer = claims.iss;
  const subject = claims.sub;
  if (typeof issuer !== 'string' || typeof subject !== 'string' || subject.length === 0) {
    throw new HubspokeError('E_AUTH', 'The token has no issuer or subject');
  }
  const id = claims[config.claims.id];
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
    throw new HubspokeError('E_AUTH', `The token has no usable "${config.claims.id}" claim to name the person`, {
      hint: 'Set identity.claims.id to a claim every token carries (sub, email or preferred_username).',
    });
  }
  const roles = new Set<string>();
  const regions = new Set<string>();
  const teams = new Set<string>();
  for (const row of config.mappings) {
    if (!claimValues(claims, row.claim).some((v) => v === row.value)) continue;
    row.roles.forEach((r) => roles.add(r));
    row.regions.forEach((r) => regions.add(r));
    row.teams.forEach((t) => teams.add(t));
  }
  if (config.claims.regions !== undefined) {
    for (const v of claimValues(claims, config.claims.regions))
      if (RegionSchema.safeParse(v).success) regions.add(String(v));
  }
  if (config.claims.teams !== undefined) {
    for (const v of claimValues(claims, config.claims.teams)) if (IdSchema.safeParse(v).success) teams.add(String(v));
  }
  const name = asString(claims[config.claims.name]);
  const email = asString(claims[config.claims.email]);
  const parsed = safeParse(
    PrincipalSchema,
    {
      id,
      roles: [...roles],
      regions: [...regions],
      teams: [...teams],
      ...(name === undefined ? {} : { name }),
      ...(email === undefined ? {} : { email }),
      issuer,
      subject,
    },
    'principal',
  );
  if (!parsed.ok)
    throw new HubspokeError('E_AUTH', 'The token does not describe a valid person', { cause: parsed.error });
  return { principal: parsed.value, identity: { issuer, subject, ...(name === undefined ? {} : { name }) } };
}

/** The closest known name within a small edit distance, for "did you mean" hints. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Every role the mapping table names must exist in the operating model: a typo would silently grant nothing. */
export function checkMappings(config: IdentityConfig, model: OperatingModel): void {
  const known = model.roles.map((r) => r.id);
  config.mappings.forEach((row, i) => {
    row.roles.forEach((role, j) => {
      if (known.includes(role)) return;
      const guess = didYouMean(role, known);
      throw new HubspokeError(
        'E_VALIDATION',
        `identity.mappings[${i}].roles[${j}]: no role "${role}" in the "${model.id}" operating model${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
        {
          path: `identity.mappings[${i}].roles[${j}]`,
          details: { known, ...(guess === undefined ? {} : { didYouMean: guess }) },
        },
      );
    });
  });
}
