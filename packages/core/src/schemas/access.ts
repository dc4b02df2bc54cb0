import { z } from 'zod';
import { IdSchema, RefSchema, RegionSchema, SchemaVersionSchema, JsonSchemaRefSchema } from './common.js';

/** Everything a principal can be allowed to do. */
export const ACTIONS = [
  'brandKit.edit',
  'template.edit',
  'template.publish',
  'workflow.edit',
  'draft.create',
  'draft.edit',
  'draft.editLocked',
  'draft.submit',
  'draft.localize',
  'submission.view',
  'submission.decide',
  'submission.comment',
  'submission.override',
  'submission.forceApprove',
  'submission.withdraw',
  'email.render',
  'email.push',
  'metrics.import',
  'okr.edit',
  'okr.checkIn',
  'lint.override',
  'connector.configure',
] as const;
export const ActionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof ActionSchema>;

/**
 * How far a permission reaches: `any` resource, resources in the principal's own `region`
 * or `team`, or only resources the principal authored (`own`).
 */
export const PermissionScopeSchema = z.enum(['any', 'region', 'team', 'own']);
export type PermissionScope = z.infer<typeof PermissionScopeSchema>;

export const PermissionSchema = z
  .object({
    action: ActionSchema,
    scope: PermissionScopeSchema.default('any'),
  })
  .strict();
export type Permission = z.infer<typeof PermissionSchema>;

export const RoleSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(1000).optional(),
    /** `hub` roles belong to headquarters, `spoke` roles to local teams. */
    side: z.enum(['hub', 'spoke']),
    permissions: z.array(PermissionSchema),
  })
  .strict();
export type Role = z.infer<typeof RoleSchema>;

/** A person or service acting in Hubspoke. */
export const PrincipalSchema = z
  .object({
    id: RefSchema,
    name: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
    /** Role ids from the operating model. */
    roles: z.array(IdSchema),
    regions: z.array(RegionSchema).default([]),
    teams: z.array(IdSchema).default([]),
    groups: z.array(IdSchema).default([]),
    /** Who vouched for this person: the OpenID issuer, or `hubspoke-dev`. Set by the server; absent in trusted local mode. */
    issuer: z.string().min(1).max(2000).optional(),
    /** The issuer's subject (`sub`) for this person. */
    subject: RefSchema.optional(),
  })
  .strict();
export type Principal = z.infer<typeof PrincipalSchema>;
export type PrincipalInput = z.input<typeof PrincipalSchema>;

/** Who owns a capability: the hub, the spokes, or both. */
export const OwnerSchema = z.enum(['hub', 'spoke', 'shared']);
export type Owner = z.infer<typeof OwnerSchema>;

/**
 * Who owns content creation, local customization, approval and delivery, and the roles
 * (with their permissions) that follow. Presets: `centralized`, `decentralized`, `hybrid`.
 */
export const OperatingModelSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    ownership: z
      .object({
        contentCreation: OwnerSchema,
        localCustomization: OwnerSchema,
        approval: OwnerSchema,
        delivery: OwnerSchema,
      })
      .strict(),
    roles: z.array(RoleSchema).min(1),
  })
  .strict()
  .superRefine((model, ctx) => {
    const seen = new Set<string>();
    model.roles.forEach((role, i) => {
      if (seen.has(role.id))
        ctx.addIssue({
          code: 'custom',
          path: ['roles', i, 'id'],
          message: 'expected a unique role id',
          input: role.id,
        });
      seen.add(role.id);
    });
  })
  .describe('An operating model: who owns each capability, and the roles and permissions that follow');
export type OperatingModel = z.infer<typeof OperatingModelSchema>;
export type OperatingModelInput = z.input<typeof OperatingModelSchema>;
