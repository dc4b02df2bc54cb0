import { hybrid } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import { counter, rejects } from './__fixtures__/store-conformance.js';
import { directory, fullSubmit, people, standardWorkflow, textOnlySubmit } from './__fixtures__/harness.js';
import { fold } from './state.js';
import { MemoryEventStore } from './store/memory-store.js';

function setup(now = { value: new Date('2026-03-02T09:00:00Z') }, workflows: unknown[] = [standardWorkflow]) {
  const store = new MemoryEventStore();
  const approvals = createApprovals({
    store,
    workflows,
    operatingModel: 'hybrid',
    directory,
    ids: counter('id'),
    clock: () => now.value,
  });
  return { store, approvals, now };
}

describe('createApprovals', () => {
  it('records who vouched for an authenticated principal (issuer, subject, name) in each event', async () => {
    const { approvals } = setup();
    const lena = { ...people.lena, issuer: 'https://login.example.com/', subject: '00u-lena', name: 'Lena Vogel' };
    const { submissionId } = await approvals.submit(lena, fullSubmit);
    const events = await approvals.history(people.ada, submissionId);
    expect(events[0]?.actor).toEqual({
      id: 'lena',
      roles: people.lena.roles,
      issuer: 'https://login.example.com/',
      subject: '00u-lena',
      name: 'Lena Vogel',
    });
    // Trusted local mode (no issuer): the id and roles only, as before.
    await approvals.decide(people.bea, submissionId, { decision: 'approved' });
    expect((await approvals.history(people.ada, submissionId)).at(-1)?.actor).toEqual({
      id: 'bea',
      roles: people.bea.roles,
    });
  });

  it('runs the scheduler: reminders and escalations are recorded once and returned as effects', async () => {
    const { approvals } = setup();
    const { submissionId } = await approvals.submit(people.lena, fullSubmit);
    await approvals.decide(people.bea, submissionId, { decision: 'approved' });
    expect((await approvals.due(new Date('2026-03-03T00:00:00Z'))).items).toEqual([]);
    const run = await approvals.due(new Date('2026-03-05T09:00:00Z'));
    expect(run.items[0]?.items.map((i) => i.kind)).toEqual(['reminder', 'reminder', 'reminder', 'escalation']);
    expect(run.effects.filter((e) => e.type === 'notify').map((e) => e.reason)).toEqual([
      'reminder',
      'reminder',
      'reminder',
      'escalation',
    ]);
    expect((await approvals.due(new Date('2026-03-05T10:00:00Z'))).items).toEqual([]);
    const events = await approvals.history(people.ada, submissionId);
    expect(events.filter((e) => e.type === 'reminder.sent')).toHaveLength(3);
    expect(events.find((e) => e.type === 'stage.escalated')?.actor.id).toBe('system:scheduler');
  });

  it('keeps running submissions on their pinned version while new ones start on the newest', async () => {
    const v3 = { ...standardWorkflow, version: 3, stages: standardWorkflow.stages.slice(2) };
    const store = new MemoryEventStore();
    const old = createApprovals({
      store,
      workflows: [standardWorkflow],
      operatingModel: hybrid,
      directory,
      ids: counter('a'),
    });
    const running = await old.submit(people.lena, fullSubmit);
    const both = createApprovals({
      store,
      workflows: [standardWorkflow, v3],
      operatingModel: hybrid,
      directory,
      ids: counter('b'),
    });
    const fresh = await both.submit(people.lena, fullSubmit);
    expect(fresh.state.workflow.version).toBe(3);
    const decided = await both.decide(people.bea, running.submissionId, { decision: 'approved' });
    expect(decided.state.workflow.version).toBe(2);
    const onlyNew = createApprovals({ store, workflows: [v3], operatingModel: hybrid, directory });
    await rejects(onlyNew.decide(people.lee, running.submissionId, { decision: 'approved' }), 'E_NOT_FOUND');
    expect((await both.submit(people.lena, { ...fullSubmit, workflowVersion: 2 })).state.workflow.version).toBe(2);
    await rejects(both.submit(people.lena, { ...fullSubmit, workflowId: 'nope' }), 'E_NOT_FOUND');
  });

  it('refuses two different definitions under one version, naming which', () => {
    expect(() =>
      createApprovals({
        store: new MemoryEventStore(),
        workflows: [standardWorkflow, { ...standardWorkflow, name: 'Other' }],
        operatingModel: hybrid,
      }),
    ).toThrow(/workflows\[1\].*standard@2/);
    expect(() =>
      createApprovals({
        store: new MemoryEventStore(),
        workflows: [{ id: 'x', version: 1, name: 'X', stages: [] }],
        operatingModel: hybrid,
      }),
    ).toThrow(/at least one stage/);
    expect(() =>
      createApprovals({ store: new MemoryEventStore(), workflows: [standardWorkflow], operatingModel: 'nope' }),
    ).toThrow(/operatingModel/);
  });

  it('pages past submissions a principal may not view, and filters by draft', async () => {
    const apacManagers = [...directory, { id: 'rin', roles: ['regional-manager'], regions: ['APAC'] }];
    const approvals = createApprovals({
      store: new MemoryEventStore(),
      workflows: [standardWorkflow],
      operatingModel: 'hybrid',
      directory: apacManagers,
      ids: counter('page'),
    });
    // An APAC submission first, then 150 newer EMEA ones Ron (APAC) may not view.
    const apac = await approvals.submit(people.ada, {
      ...textOnlySubmit,
      draftId: 'tokyo-spring',
      submissionId: 'apac-1',
      facts: { ...textOnlySubmit.facts, region: 'APAC' },
    });
    for (let i = 0; i < 150; i += 1)
      await approvals.submit(people.lena, { ...textOnlySubmit, draftId: `d-${i}`, submissionId: `emea-${i}` });
    expect((await approvals.list(people.ron, { limit: 10 })).map((s) => s.submissionId)).toEqual([apac.submissionId]);
    expect((await approvals.list(people.lena, { limit: 5, offset: 3 })).map((s) => s.submissionId)).toHaveLength(5);
    expect((await approvals.list(people.ada, { draftId: 'd-7' })).map((s) => s.submissionId)).toEqual(['emea-7']);
  });

  it('shows submissions only to who may view them', async () => {
    const { approvals } = setup();
    const { submissionId } = await approvals.submit(people.lena, textOnlySubmit);
    expect((await approvals.list(people.ron, {})).map((s) => s.submissionId)).toEqual([]);
    expect((await approvals.list(people.rita, { assignee: 'rita' })).map((s) => s.submissionId)).toEqual([
      submissionId,
    ]);
    expect((await approvals.list(people.lena, {})).map((s) => s.submissionId)).toEqual([submissionId]);
    await rejects(approvals.status(people.ron, submissionId), 'E_FORBIDDEN');
    await rejects(approvals.status(people.ada, 'missing'), 'E_NOT_FOUND');
    await rejects(approvals.decide(people.bea, 'missing', { decision: 'approved' }), 'E_NOT_FOUND');
    expect(await approvals.verify(people.ada, submissionId)).toMatchObject({ ok: true });
  });

  it('ignores a snapshot of another state format and refolds', async () => {
    const { approvals, store } = setup();
    const { submissionId } = await approvals.submit(people.lena, fullSubmit);
    await store.saveSnapshot({ streamId: submissionId, seq: 99, format: -1, state: { bogus: true } as never });
    const state = await approvals.status(people.ada, submissionId);
    expect(state).toEqual(fold(await store.read(submissionId)));
  });

  it('offers every command as a method', async () => {
    const { approvals } = setup();
    const { submissionId } = await approvals.submit(people.lena, {
      ...fullSubmit,
      facts: { ...fullSubmit.facts, lint: { errors: 1, warnings: 0 } },
    });
    await approvals.comment(people.bea, submissionId, { commentId: 'c1', text: 'Fix the error' });
    await approvals.resolve(people.lena, submissionId, 'c1');
    await approvals.reopen(people.bea, submissionId, 'c1');
    await approvals.attachDiagnostics(people.lena, submissionId, [
      { ruleId: 'brand/x', severity: 'warning', message: 'x' },
    ]);
    await approvals.override(people.ada, submissionId, 'accepted risk');
    await approvals.decide(people.bea, submissionId, { decision: 'approved' });
    await approvals.revoke(people.bea, submissionId);
    await approvals.decide(people.bo, submissionId, { decision: 'changesRequired' });
    await approvals.resubmit(people.lena, submissionId, { contentHash: 'v2', facts: fullSubmit.facts });
    await approvals.withdraw(people.lena, submissionId, 'cancelled');
    const state = await approvals.status(people.lena, submissionId);
    expect(state).toMatchObject({ status: 'withdrawn', round: 2 });
    const other = await approvals.submit(people.lena, fullSubmit);
    expect((await approvals.forceApprove(people.ada, other.submissionId, 'launch')).state.status).toBe('approved');
  });
});
