import { HubspokeError } from '../errors/hubspoke-error.js';
import {
  ActionSchema,
  OperatingModelSchema,
  PrincipalSchema,
  type Action,
  type OperatingModel,
  type Permission,
  type Principal,
} from '../schemas/access.js';
import { parse } from '../validation/parse.js';
import { closest } from '../validation/describe-schema.js';
import { describeValue } from '../validation/format-issues.js';
import { operatingModelPresets, type OperatingModelPreset } from './presets.js';
import { parseDirectory, principalError, principalProblem, type PrincipalDirectory } from './directory.js';

/** What an action is performed on: its region, team and author, when it has them. */
export interface Resource {
  region?: string | undefined;
  team?: string | undefined;
  /** The principal who authored or submitted it. */
  ownerId?: string | undefined;
}

export type AccessDecision =
  | { allowed: true; roleId: string; scope: Permission['scope'] }
  | {
      allowed: false;
      reason: string;
      /** Set when the principal itself was refused by the directory check (not the model). */
      principal?: 'unknown-principal' | 'principal-mismatch';
    };

/** Options of {@link can} and {@link assertCan}. */
export interface CanOptions {
  /**
   * The hub's directory: when given, the principal must be its entry (same id, roles, regions,
   * teams and groups) or vouched for by a trusted issuer, else it is refused before the model is read.
   */
  directory?: PrincipalDirectory | undefined;
}

function covers(permission: Permission, principal: Principal, resource: Resource): boolean {
  switch (permission.scope) {
    case 'any':
      return true;
    case 'region':
      return resource.region !== undefined && principal.regions.includes(resource.region);
    case 'team':
      return resource.team !== undefined && principal.teams.includes(resource.team);
    case 'own':
      return resource.ownerId !== undefined && resource.ownerId === principal.id;
  }
}

function describeScope(scope: Permission['scope'], resource: Resource): string {
  switch (scope) {
    case 'any':
      return 'anything';
    case 'region':
      return resource.region === undefined
        ? 'resources of their own region (this one has no region)'
        : `their own region, not ${resource.region}`;
    case 'team':
      return resource.team === undefined
        ? 'resources of their own team (this one has no team)'
        : `their own team, not ${resource.team}`;
    case 'own':
      return 'what they authored themselves';
  }
}

/** Resolves a preset name or validates a custom model. */
export function resolveOperatingModel(model: unknown): OperatingModel {
  if (typeof model === 'string') {
    if (Object.hasOwn(operatingModelPresets, model)) return operatingModelPresets[model as OperatingModelPreset];
    const near = closest(model, Object.keys(operatingModelPresets));
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid operatingModel: expected one of "centralized" | "decentralized" | "hybrid" or a model object, got ${describeValue(model)}${near === undefined ? '' : `; did you mean "${near}"?`}`,
      { path: 'operatingModel', ...(near === undefined ? {} : { details: { didYouMean: near } }) },
    );
  }
  return parse(OperatingModelSchema, model, 'operatingModel');
}

/**
 * May `principal` perform `action` on `resource` under `model`? Returns the granting role,
 * or a reason naming what is missing. Deny by default: only a permission of one of the
 * principal's roles for this very action, whose scope covers the resource, allows; an action the
 * model has no rule for is denied with that reason. With `options.directory`, a principal the
 * directory does not know (or knows otherwise) is denied too. Pure; never throws for a
 * well-formed model.
 */
export function can(
  model: OperatingModel,
  principal: Principal,
  action: Action,
  resource: Resource = {},
  options: CanOptions = {},
): AccessDecision {
  if (options.directory !== undefined) {
    const problem = principalProblem(principal, parseDirectory(options.directory));
    if (problem !== undefined) return { allowed: false, reason: problem.message, principal: problem.reason };
  }
  const known = new Map(model.roles.map((r) => [r.id, r]));
  const roles = principal.roles.map((id) => known.get(id)).filter((r) => r !== undefined);
  if (roles.length === 0) {
    return { allowed: false, reason: `${principal.id} has no role known to the "${model.id}" operating model` };
  }
  const partial: string[] = [];
  for (const role of roles) {
    for (const permission of role.permissions) {
      if (permission.action !== action) continue;
      if (covers(permission, principal, resource)) return { allowed: true, roleId: role.id, scope: permission.scope };
      partial.push(`${role.id} may ${action} only on ${describeScope(permission.scope, resource)}`);
    }
  }
  if (partial.length > 0) return { allowed: false, reason: `${principal.id}: ${partial.join('; ')}` };
  const names = roles.map((r) => r.id).join(', ');
  return {
    allowed: false,
    reason: `${principal.id} (${names}) may not ${action} in the "${model.id}" operating model: it has no rule for ${action} for these roles, and what it does not allow is denied`,
  };
}

/**
 * Like {@link can}, but validates its inputs and throws `E_FORBIDDEN` when denied (a principal
 * refused by `options.directory`: details.reason `unknown-principal` or `principal-mismatch`).
 */
export function assertCan(
  model: OperatingModel,
  principal: Principal,
  action: Action,
  resource: Resource = {},
  options: CanOptions = {},
): void {
  const checkedPrincipal = parse(PrincipalSchema, principal, 'principal');
  const checkedAction = parse(ActionSchema, action, 'action');
  if (options.directory !== undefined) {
    const problem = principalProblem(checkedPrincipal, parseDirectory(options.directory));
    if (problem !== undefined) throw principalError(checkedPrincipal, problem);
  }
  const decision = can(model, checkedPrincipal, checkedAction, resource);
  if (!decision.allowed) {
    throw new HubspokeError('E_FORBIDDEN', decision.reason, {
      details: { principal: checkedPrincipal.id, action: checkedAction, resource: { ...resource } },
    });
  }
}
