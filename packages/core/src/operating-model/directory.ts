import { HubspokeError } from '../errors/hubspoke-error.js';
import { PrincipalSchema, type Principal, type PrincipalInput } from '../schemas/access.js';
import { parse } from '../validation/parse.js';
import { closest } from '../validation/describe-schema.js';

/**
 * The people a hub knows, to check a principal a caller hands to a library API against: the
 * directory, and the identity providers whose principals are vouched for by their issuer (an
 * authenticated person need not be listed; the provider's claims are what they are).
 */
export interface PrincipalDirectory {
  /** The hub's people. */
  directory: readonly PrincipalInput[];
  /** OpenID issuers whose principals (`principal.issuer`) are taken as authenticated, not looked up. */
  trustedIssuers?: readonly string[] | undefined;
}

/** A {@link PrincipalDirectory} whose people are validated. */
export interface ParsedDirectory {
  directory: readonly Principal[];
  trustedIssuers?: readonly string[] | undefined;
}

/** Why a principal was refused: not in the directory, or claiming what its entry does not say. */
export type PrincipalProblem =
  | { reason: 'unknown-principal'; message: string; didYouMean?: string }
  | {
      reason: 'principal-mismatch';
      message: string;
      /** Each claimed list that differs from the directory's, with both sides. */
      differs: Record<string, { claimed: string[]; directory: string[] }>;
    };

/** The lists of a principal that grant something: compared with the directory entry as sets. */
const GRANTING = ['roles', 'regions', 'teams', 'groups'] as const;

const indexes = new WeakMap<readonly Principal[], Map<string, Principal>>();

function indexOf(directory: readonly Principal[]): Map<string, Principal> {
  let index = indexes.get(directory);
  if (index === undefined) {
    index = new Map(directory.map((p) => [p.id, p]));
    indexes.set(directory, index);
  }
  return index;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/**
 * What is wrong with `principal` against the directory, or `undefined` when it checks out: it is
 * the directory's entry of that id with the same roles, regions, teams and groups, or it was
 * vouched for by a trusted identity provider. Pure.
 */
export function principalProblem(principal: Principal, check: ParsedDirectory): PrincipalProblem | undefined {
  if (principal.issuer !== undefined && (check.trustedIssuers ?? []).includes(principal.issuer)) return undefined;
  const index = indexOf(check.directory);
  const entry = index.get(principal.id);
  if (entry === undefined) {
    const near = closest(principal.id, index.keys());
    return {
      reason: 'unknown-principal',
      message: `principal "${principal.id}" is not in the hub's directory${near === undefined ? '' : `; did you mean "${near}"?`}`,
      ...(near === undefined ? {} : { didYouMean: near }),
    };
  }
  const differs: Record<string, { claimed: string[]; directory: string[] }> = {};
  for (const key of GRANTING) {
    const claimed = principal[key];
    const listed = entry[key];
    if (!sameSet(claimed, listed)) differs[key] = { claimed: [...claimed], directory: [...listed] };
  }
  const keys = Object.keys(differs);
  if (keys.length === 0) return undefined;
  const shown = keys
    .map(
      (k) =>
        `${k} [${differs[k]?.claimed.join(', ') ?? ''}] (the directory says [${differs[k]?.directory.join(', ') ?? ''}])`,
    )
    .join('; ');
  return {
    reason: 'principal-mismatch',
    message: `principal "${principal.id}" claims ${shown}`,
    differs,
  };
}

/** {@link principalProblem} of inputs as given: the principal and the directory are validated first. */
export function findPrincipalProblem(principal: unknown, check: unknown): PrincipalProblem | undefined {
  return principalProblem(parse(PrincipalSchema, principal, 'principal'), parseDirectory(check));
}

/**
 * The principal, validated and checked against the directory: `E_FORBIDDEN` (details.reason
 * `unknown-principal` or `principal-mismatch`, path `principal`) when the directory does not
 * know it or says otherwise about its roles, regions, teams or groups.
 */
export function checkPrincipal(principal: unknown, check: PrincipalDirectory): Principal {
  const parsed = parse(PrincipalSchema, principal, 'principal');
  const directory = parseDirectory(check);
  const problem = principalProblem(parsed, directory);
  if (problem !== undefined) throw principalError(parsed, problem);
  return parsed;
}

/** The `E_FORBIDDEN` for a refused principal. */
export function principalError(principal: Principal, problem: PrincipalProblem): HubspokeError {
  return new HubspokeError('E_FORBIDDEN', problem.message, {
    path: 'principal',
    details: {
      reason: problem.reason,
      principal: principal.id,
      ...(problem.reason === 'unknown-principal'
        ? problem.didYouMean === undefined
          ? {}
          : { didYouMean: problem.didYouMean }
        : { differs: problem.differs }),
    },
    hint:
      problem.reason === 'unknown-principal'
        ? 'Act as a person of the hub directory (or one an identity provider the hub trusts vouched for).'
        : "Use the directory's entry for this person as it is; roles, regions, teams and groups come from the directory.",
  });
}

const parsedDirectories = new WeakMap<readonly unknown[], Principal[]>();

/** A directory check as given, validated (each directory list once). */
export function parseDirectory(check: unknown): ParsedDirectory {
  if (typeof check !== 'object' || check === null || Array.isArray(check))
    throw new HubspokeError('E_VALIDATION', 'Invalid directory: expected { directory, trustedIssuers? }', {
      path: 'directory',
    });
  const given = check as { directory?: unknown; trustedIssuers?: unknown };
  if (!Array.isArray(given.directory))
    throw new HubspokeError('E_VALIDATION', 'Invalid directory.directory: expected a list of principals', {
      path: 'directory.directory',
    });
  if (
    given.trustedIssuers !== undefined &&
    (!Array.isArray(given.trustedIssuers) || !given.trustedIssuers.every((i) => typeof i === 'string'))
  )
    throw new HubspokeError('E_VALIDATION', 'Invalid directory.trustedIssuers: expected a list of issuer URLs', {
      path: 'directory.trustedIssuers',
    });
  const list = given.directory as readonly unknown[];
  let directory = parsedDirectories.get(list);
  if (directory === undefined) {
    directory = list.map((p, i) => parse(PrincipalSchema, p, `directory.directory[${i}]`));
    parsedDirectories.set(list, directory);
  }
  return given.trustedIssuers === undefined ? { directory } : { directory, trustedIssuers: given.trustedIssuers };
}
