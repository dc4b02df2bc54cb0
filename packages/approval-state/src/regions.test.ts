import { centralized, decentralized, hybrid, type OperatingModel, type WorkflowDefInput } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import { decide } from './decide.js';
import { initialState } from './state.js';
import { MemoryEventStore } from './store/memory-store.js';

/** One stage reviewed by legal, so every submitter below can be staffed. */
const workflow: WorkflowDefInput = {
  id: 'regions',
  version: 1,
  name: 'Legal only',
  stages: [{ id: 'legal', name: 'Legal', reviewers: [{ role: 'legal-reviewer' }] }],
};
const lee = { id: 'lee', roles: ['legal-reviewer'] };

/** For each preset and role (a principal of region EMEA): the draft regions it may submit under. */
const expected: Record<string, Record<string, readonly (string | undefined)[]>> = {
  centralized: {
    'hub-admin': ['EMEA', 'APAC', undefined],
    'brand-manager': ['EMEA', 'APAC', undefined],
    'legal-reviewer': [],
    analyst: [],
    'regional-manager': [],
    'spoke-marketer': [],
  },
  decentralized: {
    'hub-admin': ['EMEA', 'APAC', undefined],
    'brand-manager': [],
    'legal-reviewer': [],
    analyst: [],
    'regional-manager': ['EMEA'],
    'spoke-marketer': ['EMEA'],
  },
  hybrid: {
    'hub-admin': ['EMEA', 'APAC', undefined],
    'brand-manager': [],
    'legal-reviewer': [],
    analyst: [],
    'regional-manager': ['EMEA'],
    'spoke-marketer': ['EMEA'],
  },
};
const presets: Record<string, OperatingModel> = { centralized, decentralized, hybrid };

function submitAs(model: OperatingModel, role: string, region: string | undefined) {
  const principal = { id: `${role}-1`, roles: [role], regions: ['EMEA'] };
  let n = 0;
  return decide(
    initialState('s-1'),
    { type: 'submit', draftId: 'd', title: 'Promo', contentHash: 'h', facts: region === undefined ? {} : { region } },
    {
      workflow,
      operatingModel: model,
      principal,
      now: '2026-03-02T09:00:00Z',
      newId: () => `e${++n}`,
      directory: [principal, lee],
    },
  );
}

describe('a submission is filed only under a region its submitter may create in', () => {
  for (const [name, model] of Object.entries(presets)) {
    it(`${name}: every role, own region, another region and none`, () => {
      for (const role of model.roles.map((r) => r.id)) {
        for (const region of ['EMEA', 'APAC', undefined]) {
          const result = submitAs(model, role, region);
          const allowed = expected[name]?.[role]?.includes(region) ?? false;
          expect(result.ok, `${name} ${role} → ${region ?? '(no region)'}`).toBe(allowed);
          if (!result.ok) expect(result.error.code).toBe('E_FORBIDDEN');
          if (result.ok) expect(result.state.region).toBe(region);
        }
      }
    });
  }

  it('names the region that was refused', () => {
    const result = submitAs(hybrid, 'spoke-marketer', 'APAC');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/may not submit a draft of region APAC/);
      expect(result.error.details).toMatchObject({ action: 'draft.create', region: 'APAC' });
    }
  });

  it('through the service: the spoke of one region cannot route a draft to another region, nor move it on resubmit', async () => {
    const lena = { id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'] };
    const ada = { id: 'ada', roles: ['hub-admin'] };
    const approvals = createApprovals({
      store: new MemoryEventStore(),
      workflows: [workflow],
      operatingModel: 'hybrid',
      directory: [lee, lena, ada],
    });
    const draft = { draftId: 'd', title: 'Promo', contentHash: 'h1' };
    await expect(approvals.submit(lena, { ...draft, facts: { region: 'APAC' } })).rejects.toMatchObject({
      code: 'E_FORBIDDEN',
      details: { action: 'draft.create', region: 'APAC' },
    });
    expect(await approvals.list(ada)).toEqual([]);
    const { submissionId } = await approvals.submit(lena, { ...draft, facts: { region: 'EMEA' } });
    await approvals.decide(lee, submissionId, { decision: 'changesRequired', reason: 'date' });
    await expect(
      approvals.resubmit(lena, submissionId, { contentHash: 'h2', facts: { region: 'APAC' } }),
    ).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    // A new version that leaves the region out keeps the submission's.
    const again = await approvals.resubmit(lena, submissionId, { contentHash: 'h2' });
    expect(again.state.region).toBe('EMEA');
    expect(again.state.facts.region).toBe('EMEA');
  });
});
