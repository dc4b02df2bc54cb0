import type { Action, OperatingModel, Permission, PermissionScope, Role } from '../schemas/access.js';

type Grant = Action | [Action, PermissionScope];

function role(id: string, name: string, side: Role['side'], grants: Grant[], description?: string): Role {
  const permissions: Permission[] = grants.map((g) =>
    typeof g === 'string' ? { action: g, scope: 'any' } : { action: g[0], scope: g[1] },
  );
  return description === undefined ? { id, name, side, permissions } : { id, name, side, permissions, description };
}

/** Hub roles are the same in every preset: the hub always owns brand, templates and workflow. */
const hubAdmin = role(
  'hub-admin',
  'Hub admin',
  'hub',
  [
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
  ],
  'Runs the hub: brand kit, templates, workflows, connectors; may force-approve with a reason.',
);

const legalReviewer = role(
  'legal-reviewer',
  'Legal reviewer',
  'hub',
  ['submission.view', 'submission.decide', 'submission.comment'],
  'Reviews claims, pricing and required legal text.',
);
const analyst = role('analyst', 'Analyst', 'hub', ['submission.view', 'metrics.import', 'okr.edit', 'okr.checkIn']);

/** `centralized`: the hub creates, localizes, approves and delivers; spokes request and comment. */
export const centralized: OperatingModel = {
  schemaVersion: 1,
  id: 'centralized',
  name: 'Centralized',
  description: 'Headquarters creates, localizes, approves and sends every email; spokes request and comment.',
  ownership: { contentCreation: 'hub', localCustomization: 'hub', approval: 'hub', delivery: 'hub' },
  roles: [
    hubAdmin,
    role('brand-manager', 'Brand manager', 'hub', [
      'draft.create',
      'draft.edit',
      'draft.submit',
      'draft.localize',
      'submission.view',
      'submission.decide',
      'submission.comment',
      'submission.override',
      'submission.withdraw',
      'email.render',
      'email.push',
      'lint.override',
      'okr.checkIn',
    ]),
    legalReviewer,
    analyst,
    role('regional-manager', 'Regional manager', 'spoke', [
      ['submission.view', 'region'],
      ['submission.comment', 'region'],
      ['okr.checkIn', 'region'],
    ]),
    role('spoke-marketer', 'Spoke marketer', 'spoke', [
      ['submission.view', 'region'],
      ['submission.comment', 'region'],
    ]),
  ],
};

/** `decentralized`: spokes create, customize, approve and send within the hub's guardrails. */
export const decentralized: OperatingModel = {
  schemaVersion: 1,
  id: 'decentralized',
  name: 'Decentralized',
  description: 'The hub owns the brand kit and templates; spokes create, approve and send their own campaigns.',
  ownership: { contentCreation: 'spoke', localCustomization: 'spoke', approval: 'spoke', delivery: 'spoke' },
  roles: [
    hubAdmin,
    role('brand-manager', 'Brand manager', 'hub', [
      'brandKit.edit',
      'template.edit',
      'template.publish',
      'submission.view',
      'submission.comment',
      'lint.override',
    ]),
    legalReviewer,
    analyst,
    role('regional-manager', 'Regional manager', 'spoke', [
      ['draft.create', 'region'],
      ['draft.edit', 'region'],
      ['draft.submit', 'region'],
      ['draft.localize', 'region'],
      ['submission.view', 'region'],
      ['submission.decide', 'region'],
      ['submission.comment', 'region'],
      ['submission.override', 'region'],
      ['submission.withdraw', 'region'],
      ['email.render', 'region'],
      ['email.push', 'region'],
      ['metrics.import', 'region'],
      ['okr.edit', 'region'],
      ['okr.checkIn', 'region'],
      ['lint.override', 'region'],
    ]),
    role('spoke-marketer', 'Spoke marketer', 'spoke', [
      ['draft.create', 'region'],
      ['draft.edit', 'own'],
      ['draft.submit', 'own'],
      ['draft.localize', 'region'],
      ['submission.view', 'region'],
      ['submission.comment', 'region'],
      ['submission.decide', 'region'],
      ['submission.withdraw', 'own'],
      ['email.render', 'region'],
      ['email.push', 'region'],
      ['metrics.import', 'region'],
      ['okr.checkIn', 'region'],
    ]),
  ],
};

/** `hybrid`: the hub owns templates and brand review; spokes create and localize, then send once approved. */
export const hybrid: OperatingModel = {
  schemaVersion: 1,
  id: 'hybrid',
  name: 'Hybrid',
  description:
    'The hub owns templates and brand review; spokes create and localize inside the locks, regional managers co-approve, spokes send once approved.',
  ownership: { contentCreation: 'spoke', localCustomization: 'spoke', approval: 'shared', delivery: 'spoke' },
  roles: [
    hubAdmin,
    role('brand-manager', 'Brand manager', 'hub', [
      'brandKit.edit',
      'template.edit',
      'template.publish',
      'submission.view',
      'submission.decide',
      'submission.comment',
      'submission.override',
      'lint.override',
      'email.render',
    ]),
    legalReviewer,
    analyst,
    role('regional-manager', 'Regional manager', 'spoke', [
      ['draft.create', 'region'],
      ['draft.edit', 'region'],
      ['draft.submit', 'region'],
      ['draft.localize', 'region'],
      ['submission.view', 'region'],
      ['submission.decide', 'region'],
      ['submission.comment', 'region'],
      ['submission.withdraw', 'region'],
      ['email.render', 'region'],
      ['email.push', 'region'],
      ['metrics.import', 'region'],
      ['okr.edit', 'region'],
      ['okr.checkIn', 'region'],
    ]),
    role('spoke-marketer', 'Spoke marketer', 'spoke', [
      ['draft.create', 'region'],
      ['draft.edit', 'own'],
      ['draft.submit', 'own'],
      ['draft.localize', 'region'],
      ['submission.view', 'region'],
      ['submission.comment', 'region'],
      ['submission.withdraw', 'own'],
      ['email.render', 'region'],
      ['email.push', 'region'],
      ['okr.checkIn', 'region'],
    ]),
  ],
};

export const operatingModelPresets = { centralized, decentralized, hybrid } as const;
export type OperatingModelPreset = keyof typeof operatingModelPresets;
