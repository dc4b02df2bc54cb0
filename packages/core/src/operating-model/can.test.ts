import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { ACTIONS, OperatingModelSchema, type Principal } from '../schemas/access.js';
import { assertCan, can, resolveOperatingModel } from './can.js';
import { centralized, decentralized, hybrid, operatingModelPresets } from './presets.js';

function who(id: string, roles: string[], regions: string[] = ['EMEA']): Principal {
  return { id, roles, regions, teams: [], groups: [] };
}

const lena = who('lena', ['spoke-marketer']);
const ravi = who('ravi', ['regional-manager']);
const bea = who('bea', ['brand-manager'], []);
const admin = who('root', ['hub-admin'], []);
const emeaDraft = { region: 'EMEA', ownerId: 'lena' };
const naDraft = { region: 'NA', ownerId: 'sam' };

describe('operating model presets', () => {
  it.each(Object.entries(operatingModelPresets))(
    '%s is a valid model whose roles only use known actions',
    (_name, model) => {
      expect(OperatingModelSchema.safeParse(model).success).toBe(true);
      for (const role of model.roles) for (const p of role.permissions) expect(ACTIONS).toContain(p.action);
    },
  );

  it('decide who owns each capability', () => {
    expect(centralized.ownership).toEqual({
      contentCreation: 'hub',
      localCustomization: 'hub',
      approval: 'hub',
      delivery: 'hub',
    });
    expect(decentralized.ownership.approval).toBe('spoke');
    expect(hybrid.ownership).toEqual({
      contentCreation: 'spoke',
      localCustomization: 'spoke',
      approval: 'shared',
      delivery: 'spoke',
    });
  });

  // The permission matrix: [model, principal, action, resource, allowed]
  const matrix: [string, Principal, (typeof ACTIONS)[number], object, boolean][] = [
    ['centralized', lena, 'draft.create', emeaDraft, false],
    ['centralized', bea, 'draft.create', emeaDraft, true],
    ['centralized', lena, 'submission.comment', emeaDraft, true],
    ['centralized', lena, 'submission.comment', naDraft, false],
    ['centralized', ravi, 'submission.decide', emeaDraft, false],
    ['centralized', bea, 'email.push', naDraft, true],
    ['decentralized', lena, 'draft.create', emeaDraft, true],
    ['decentralized', lena, 'draft.create', naDraft, false],
    ['decentralized', lena, 'draft.edit', emeaDraft, true],
    ['decentralized', lena, 'draft.edit', { region: 'EMEA', ownerId: 'someone-else' }, false],
    ['decentralized', ravi, 'submission.decide', emeaDraft, true],
    ['decentralized', ravi, 'submission.decide', naDraft, false],
    ['decentralized', bea, 'submission.decide', emeaDraft, false],
    ['decentralized', lena, 'email.push', emeaDraft, true],
    ['hybrid', lena, 'draft.create', emeaDraft, true],
    ['hybrid', lena, 'submission.decide', emeaDraft, false],
    ['hybrid', ravi, 'submission.decide', emeaDraft, true],
    ['hybrid', bea, 'submission.decide', naDraft, true],
    ['hybrid', bea, 'submission.forceApprove', naDraft, false],
    ['hybrid', admin, 'submission.forceApprove', naDraft, true],
    ['hybrid', lena, 'template.edit', {}, false],
    ['hybrid', bea, 'template.publish', {}, true],
    ['hybrid', lena, 'draft.editLocked', emeaDraft, false],
  ];

  it.each(
    matrix.map(
      ([m, p, a, r, ok]) =>
        [`${m}: ${p.id} ${a} ${JSON.stringify(r)} → ${ok ? 'allow' : 'deny'}`, m, p, a, r, ok] as const,
    ),
  )('%s', (_t, model, principal, action, resource, allowed) => {
    const decision = can(resolveOperatingModel(model), principal, action, resource);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toContain(principal.id);
  });
});

describe('can', () => {
  it('explains a scope miss', () => {
    const d = can(decentralized, lena, 'draft.create', naDraft);
    expect(d).toEqual({
      allowed: false,
      reason: 'lena: spoke-marketer may draft.create only on their own region, not NA',
    });
  });

  it('denies principals with no known role', () => {
    const d = can(hybrid, who('x', ['astronaut']), 'submission.view', {});
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain('no role known');
  });

  it('denies region-scoped permissions on resources without a region', () => {
    expect(can(hybrid, lena, 'draft.create', {}).allowed).toBe(false);
  });

  it('returns the granting role and scope', () => {
    expect(can(hybrid, ravi, 'submission.decide', emeaDraft)).toEqual({
      allowed: true,
      roleId: 'regional-manager',
      scope: 'region',
    });
  });

  it('supports custom models as validated data', () => {
    const model = resolveOperatingModel({
      id: 'agency',
      name: 'Agency',
      ownership: { contentCreation: 'shared', localCustomization: 'spoke', approval: 'hub', delivery: 'hub' },
      roles: [
        {
          id: 'agency-writer',
          name: 'Agency writer',
          side: 'spoke',
          permissions: [{ action: 'draft.create', scope: 'team' }],
        },
      ],
    });
    const writer: Principal = { id: 'w', roles: ['agency-writer'], regions: [], teams: ['acme-agency'], groups: [] };
    expect(can(model, writer, 'draft.create', { team: 'acme-agency' }).allowed).toBe(true);
    expect(can(model, writer, 'draft.create', { team: 'other' }).allowed).toBe(false);
  });

  it('rejects unknown presets and invalid custom models with E_VALIDATION', () => {
    expect(() => {
      resolveOperatingModel('anarchy');
    }).toThrow(/centralized/);
    try {
      resolveOperatingModel({ id: 'x', name: 'X', roles: [] });
    } catch (e) {
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
      expect((e as Error).message).toContain('operatingModel.ownership');
    }
  });

  it('assertCan throws E_FORBIDDEN with the reason, and E_VALIDATION for a bad principal', () => {
    expect(() => {
      assertCan(hybrid, lena, 'submission.decide', emeaDraft);
    }).toThrow(/lena/);
    try {
      assertCan(hybrid, lena, 'submission.decide', emeaDraft);
    } catch (e) {
      expect(isHubspokeError(e, 'E_FORBIDDEN')).toBe(true);
    }
    try {
      assertCan(hybrid, { id: '' } as Principal, 'submission.decide', emeaDraft);
    } catch (e) {
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    }
    expect(() => {
      assertCan(hybrid, ravi, 'submission.decide', emeaDraft);
    }).not.toThrow();
  });
});

describe('resolveOperatingModel names what a misspelt preset was meant to be', () => {
  it('answers "hybird" with did-you-mean "hybrid"', () => {
    expect(() => resolveOperatingModel('hybird')).toThrow(
      expect.objectContaining({
        code: 'E_VALIDATION',
        path: 'operatingModel',
        message: expect.stringContaining('did you mean "hybrid"') as unknown,
      }),
    );
  });
});
