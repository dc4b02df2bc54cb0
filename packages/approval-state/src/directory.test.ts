import { isHubspokeError, type PrincipalInput } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import { decide } from './decide.js';
import { counter, rejects } from './__fixtures__/store-conformance.js';
import { Harness, directory, fullSubmit, people, standardWorkflow } from './__fixtures__/harness.js';
import { MemoryEventStore } from './store/memory-store.js';

const IDP = 'https://login.example.com/';

function setup(options: { trustedIssuers?: string[]; directory?: readonly PrincipalInput[] | null } = {}) {
  const store = new MemoryEventStore();
  const approvals = createApprovals({
    store,
    workflows: [standardWorkflow],
    operatingModel: 'hybrid',
    ...(options.directory === null ? {} : { directory: options.directory ?? directory }),
    ...(options.trustedIssuers === undefined ? {} : { trustedIssuers: options.trustedIssuers }),
    ids: counter('id'),
    clock: () => new Date('2026-03-02T09:00:00Z'),
  });
  return { store, approvals };
}

async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHubspokeError(error), String(error)).toBe(true);
  return error as Record<string, unknown>;
}

describe('a principal handed to the service is checked against its directory', () => {
  it('an unknown principal id is refused before anything is written, with did-you-mean', async () => {
    const { approvals, store } = setup();
    const lenna = { ...people.lena, id: 'lenna' };
    expect(await refusal(approvals.submit(lenna, fullSubmit))).toMatchObject({
      code: 'E_FORBIDDEN',
      path: 'principal',
      details: { reason: 'unknown-principal', principal: 'lenna', didYouMean: 'lena' },
    });
    expect(await store.list({ limit: 10, offset: 0 })).toEqual([]);
  });

  it('claimed roles or regions that differ from the directory entry are refused on every method', async () => {
    const { approvals } = setup();
    const { submissionId } = await approvals.submit(people.lena, fullSubmit);
    // Lena claims to be a hub admin; Rex claims another region; Bea claims a region she does not have.
    const lenaAdmin = { ...people.lena, roles: ['spoke-marketer', 'hub-admin'] };
    const rexApac = { ...people.rex, regions: ['APAC'] };
    const beaEmea = { ...people.bea, regions: ['EMEA'] };
    const calls: [string, () => Promise<unknown>][] = [
      ['forceApprove', () => approvals.forceApprove(lenaAdmin, submissionId, 'ship it')],
      ['decide', () => approvals.decide(beaEmea, submissionId, { decision: 'approved' })],
      ['comment', () => approvals.comment(rexApac, submissionId, { text: 'hi' })],
      ['withdraw', () => approvals.withdraw(lenaAdmin, submissionId)],
      ['status', () => approvals.status(rexApac, submissionId)],
      ['history', () => approvals.history(lenaAdmin, submissionId)],
      ['verify', () => approvals.verify(lenaAdmin, submissionId)],
      ['exportAudit', () => approvals.exportAudit(lenaAdmin, submissionId)],
      ['list', () => approvals.list(rexApac)],
      ['execute', () => approvals.execute(beaEmea, submissionId, { type: 'decide', decision: 'approved' })],
    ];
    for (const [name, call] of calls) {
      const error = await refusal(call());
      expect(error, name).toMatchObject({ code: 'E_FORBIDDEN', details: { reason: 'principal-mismatch' } });
    }
    // Nothing was recorded: the submission is as Lena submitted it.
    expect((await approvals.history(people.ada, submissionId)).map((e) => e.type)).toEqual([
      'submission.created',
      'stage.activated',
    ]);
    // The directory's own entries act as before.
    await approvals.decide(people.bea, submissionId, { decision: 'approved' });
  });

  it('a principal vouched for by a trusted issuer need not be listed; an untrusted issuer changes nothing', async () => {
    const oidc = {
      id: 'lena@example.com',
      roles: ['spoke-marketer'],
      regions: ['EMEA'],
      issuer: IDP,
      subject: '00u-lena',
    };
    await rejects(setup().approvals.submit(oidc, fullSubmit), 'E_FORBIDDEN', 'unknown-principal');
    const { approvals } = setup({ trustedIssuers: [IDP] });
    const { submissionId } = await approvals.submit(oidc, fullSubmit);
    expect((await approvals.status(oidc, submissionId)).author).toBe('lena@example.com');
    const forged = { ...people.lena, roles: ['hub-admin'], issuer: 'https://evil.example/', subject: 'x' };
    await rejects(approvals.forceApprove(forged, submissionId, 'mine'), 'E_FORBIDDEN', 'principal-mismatch');
  });

  it('the scheduler is the service itself, not a person of the directory', async () => {
    const { approvals } = setup();
    const { submissionId } = await approvals.submit(people.lena, fullSubmit);
    await approvals.decide(people.bea, submissionId, { decision: 'approved' });
    const run = await approvals.due(new Date('2026-03-05T09:00:00Z'));
    expect(run.items.map((i) => i.submissionId)).toEqual([submissionId]);
    // …but handing the scheduler's name to a method is no way in.
    await rejects(
      approvals.forceApprove({ id: 'system:scheduler', roles: ['hub-admin'] }, submissionId, 'x'),
      'E_FORBIDDEN',
      'unknown-principal',
    );
  });

  it('without a directory the operating model alone decides (a library used on its own)', async () => {
    const stranger = { id: 'stranger', roles: ['hub-admin'] };
    expect(await setup({ directory: null }).approvals.list(stranger)).toEqual([]);
    await rejects(setup().approvals.list(stranger), 'E_FORBIDDEN', 'unknown-principal');
  });
});

describe('deny by default', () => {
  // A custom model whose roles have rules for submitting and viewing only.
  const narrow = {
    id: 'narrow',
    name: 'Narrow',
    ownership: { contentCreation: 'spoke', localCustomization: 'spoke', approval: 'hub', delivery: 'hub' },
    roles: [
      {
        id: 'spoke-marketer',
        name: 'Spoke marketer',
        side: 'spoke',
        permissions: [
          { action: 'draft.create', scope: 'region' },
          { action: 'draft.submit', scope: 'own' },
          { action: 'submission.view', scope: 'region' },
        ],
      },
      { id: 'brand-manager', name: 'Brand', side: 'hub', permissions: [{ action: 'submission.view', scope: 'any' }] },
      { id: 'hub-admin', name: 'Admin', side: 'hub', permissions: [{ action: 'submission.view', scope: 'any' }] },
    ],
  } as const;

  it('every command the model has no rule for is refused, naming the action and why', () => {
    const h = new Harness();
    const context = (principal: PrincipalInput) => ({
      ...h.context(principal),
      operatingModel: structuredClone(narrow) as never,
    });
    // Against a submission started under the hybrid model, each command needs its own rule.
    h.do('lena', fullSubmit);
    const commands: [keyof typeof people, Record<string, unknown>, string][] = [
      ['bea', { type: 'decide', decision: 'approved' }, 'submission.decide'],
      ['bea', { type: 'comment', text: 'x' }, 'submission.comment'],
      ['lena', { type: 'withdraw' }, 'submission.withdraw'],
      ['ada', { type: 'forceApprove', reason: 'x' }, 'submission.forceApprove'],
    ];
    for (const [who, command, action] of commands) {
      const result = decide(h.state, command, context(people[who]));
      expect(result.ok, `${who} ${action}`).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('E_FORBIDDEN');
        expect(result.error.message).toContain(`may not ${action}`);
        expect(result.error.message).toContain(`has no rule for ${action}`);
      }
    }
  });
});

describe('a stage the workflow lacks', () => {
  it('a decision naming it is E_NOT_FOUND with did-you-mean and the stages there are', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    const result = h.try('bea', { type: 'decide', decision: 'approved', stageId: 'brnd' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'E_NOT_FOUND',
        path: 'command.stageId',
        message: expect.stringContaining('did you mean "brand"') as unknown,
        details: { stageId: 'brnd', didYouMean: 'brand', known: ['brand', 'legal', 'regional'] },
      });
  });

  it('a revoke naming it says the stage does not exist (not that there is no decision)', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    const result = h.try('bea', { type: 'revoke', stageId: 'brnad' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'E_NOT_FOUND',
        message: expect.stringContaining('has no stage "brnad"; did you mean "brand"?') as unknown,
        details: { stageId: 'brnad', didYouMean: 'brand' },
      });
  });
});
