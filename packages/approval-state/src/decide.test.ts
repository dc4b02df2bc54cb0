import { describe, expect, it } from 'vitest';
import type { WorkflowDefInput } from '@hubspoke/core';
import { Harness, fullSubmit, standardWorkflow, textOnlySubmit, T0 } from './__fixtures__/harness.js';
import { fold, reduce } from './state.js';
import { verifyAudit } from './audit/hash-chain.js';
import { worstDecision } from './decide.js';

const twoStage = (
  overrides: Partial<WorkflowDefInput['stages'][number]> = {},
  wf: Partial<WorkflowDefInput> = {},
): WorkflowDefInput => ({
  id: 'two',
  version: 1,
  name: 'Two stages',
  stages: [
    { id: 'a', name: 'A', reviewers: [{ role: 'brand-manager' }], ...overrides },
    { id: 'b', name: 'B', reviewers: [{ role: 'legal-reviewer' }] },
  ],
  ...wf,
});

describe('a submission through the standard workflow', () => {
  it('runs brand → legal → regional quorum and pins the approved content hash', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    expect(h.state.status).toBe('inReview');
    expect(h.stage('brand')).toMatchObject({ status: 'active', assignees: ['bea', 'bo'] });
    expect(h.stage('legal').status).toBe('pending');
    h.do('bea', { type: 'decide', decision: 'approved' });
    expect(h.stage('brand')).toMatchObject({ status: 'complete', result: 'approved' });
    expect(h.stage('legal')).toMatchObject({ status: 'active', assignees: ['lee'], dueAt: '2026-03-04T09:00:00.000Z' });
    h.do('lee', { type: 'decide', decision: 'approvedWithChanges', reason: 'add the footnote' });
    expect(h.stage('regional')).toMatchObject({ status: 'active', assignees: ['rita', 'raj', 'rex'] });
    h.do('rita', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('inReview');
    h.do('raj', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('approved');
    expect(h.state.approvedContentHash).toBe('sha256:aaa');
    expect(h.types()).toEqual([
      'submission.created',
      'stage.activated:brand',
      'decision.made:brand',
      'stage.completed:brand',
      'stage.activated:legal',
      'decision.made:legal',
      'stage.completed:legal',
      'stage.activated:regional',
      'decision.made:regional',
      'decision.made:regional',
      'stage.completed:regional',
      'submission.approved',
    ]);
    expect(verifyAudit(h.events).ok).toBe(true);
    expect(fold(h.events)).toEqual(h.state);
    expect(h.events.every((e) => e.workflow.id === 'standard' && e.workflow.version === 2)).toBe(true);
  });

  it('takes the goof-proof fast path: editable text only and clean lint skips brand and legal', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    expect(h.types()).toEqual([
      'submission.created',
      'stage.skipped:brand',
      'stage.skipped:legal',
      'stage.activated:regional',
    ]);
  });

  it('routes to brand when lint has errors even if only editable text changed', () => {
    const h = new Harness();
    h.do('lena', { ...textOnlySubmit, facts: { ...textOnlySubmit.facts, lint: { errors: 1, warnings: 0 } } });
    expect(h.stage('brand').status).toBe('active');
  });

  it('routes a new locale to legal even without pricing', () => {
    const h = new Harness();
    h.do('lena', { ...textOnlySubmit, facts: { ...textOnlySubmit.facts, newLocales: ['de-AT'] } });
    expect(h.stage('brand').status).toBe('skipped');
    expect(h.stage('legal').status).toBe('active');
    expect(h.stage('regional').status).toBe('pending');
  });

  it('fills change facts from a core ChangeSummary and lint counts from diagnostics', () => {
    const h = new Harness();
    h.do('lena', {
      ...textOnlySubmit,
      facts: { region: 'EMEA' },
      change: {
        structural: false,
        touchedLockLevels: ['editable'],
        changedSlots: [],
        newLocales: ['fr-FR'],
        textOnly: true,
      },
      diagnostics: [{ ruleId: 'brand/banned-term', severity: 'warning', message: 'avoid "cheap"' }],
    });
    expect(h.state.facts.newLocales).toEqual(['fr-FR']);
    expect(h.state.lint).toEqual({ errors: 0, warnings: 1 });
    expect(h.stage('legal').status).toBe('active');
  });

  it('refuses lint facts that disagree with the diagnostics given', () => {
    const h = new Harness();
    h.fails(
      'lena',
      {
        ...textOnlySubmit,
        facts: { region: 'EMEA', lint: { errors: 0, warnings: 0 } },
        diagnostics: [{ ruleId: 'brand/x', severity: 'error', message: 'x' }],
      },
      'E_VALIDATION',
      /facts\.lint/,
    );
  });
});

describe('activation', () => {
  it('runs stages in parallel when both start on submit', () => {
    const h = new Harness(
      twoStage(
        {},
        {
          stages: [
            { id: 'a', name: 'A', reviewers: [{ role: 'brand-manager' }], completion: { rule: 'any' } },
            { id: 'b', name: 'B', reviewers: [{ role: 'legal-reviewer' }], activation: { on: 'submit' } },
          ],
        },
      ),
    );
    h.do('lena', textOnlySubmit);
    expect(h.state.stages.map((s) => s.status)).toEqual(['active', 'active']);
    h.do('lee', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('inReview');
    h.do('bo', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('approved');
  });

  it('with "decided", the next stage runs after changes are required and the round returns when it ends', () => {
    const h = new Harness(
      twoStage(
        {},
        {
          stages: [
            { id: 'a', name: 'A', reviewers: [{ role: 'brand-manager' }], completion: { rule: 'any' } },
            { id: 'b', name: 'B', reviewers: [{ role: 'legal-reviewer' }], activation: { on: 'decided' } },
          ],
        },
      ),
    );
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'changesRequired', reason: 'logo too small' });
    expect(h.stage('b').status).toBe('active');
    expect(h.state.status).toBe('inReview');
    h.do('lee', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('returned');
    expect(h.state.returnedBy).toEqual(['a']);
  });

  it('with "approved" (the default), changes required return the submission at once', () => {
    const h = new Harness(twoStage({ completion: { rule: 'any' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'changesRequired' });
    expect(h.stage('b').status).toBe('pending');
    expect(h.state.status).toBe('returned');
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'notify', reason: 'returned', to: ['lena'] }));
  });

  it('starts a stage at a set time when a tick records it', () => {
    const h = new Harness(
      twoStage(
        {},
        {
          stages: [
            { id: 'a', name: 'A', reviewers: [{ role: 'brand-manager' }] },
            {
              id: 'b',
              name: 'B',
              reviewers: [{ role: 'legal-reviewer' }],
              activation: { on: 'at', at: '2026-03-05T08:00:00+01:00' },
            },
          ],
        },
      ),
    );
    h.do('lena', textOnlySubmit);
    expect(h.stage('b')).toMatchObject({ status: 'pending', activateAt: '2026-03-05T07:00:00.000Z' });
    expect(h.do('ada', { type: 'tick' })).toEqual([]);
    h.advance('2026-03-05T07:00:00.000Z');
    expect(h.types(h.do('ada', { type: 'tick' }))).toEqual(['stage.activated:b']);
  });
});

describe('completion rules and worst-wins', () => {
  it('orders decisions worst first', () => {
    expect(worstDecision(['approved', 'notRelevant', 'approvedWithChanges'])).toBe('approvedWithChanges');
    expect(worstDecision(['notRelevant', 'notRelevant'])).toBe('notRelevant');
    expect(worstDecision(['approved', 'changesRequired', 'approvedWithChanges'])).toBe('changesRequired');
    expect(worstDecision(['changesRequired', 'rejected'])).toBe('rejected');
    expect(worstDecision([])).toBeUndefined();
  });

  it('"all" waits for every assignee and takes the worst decision', () => {
    const h = new Harness(twoStage({ completion: { rule: 'all' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    expect(h.stage('a').status).toBe('active');
    h.do('bo', { type: 'decide', decision: 'approvedWithChanges' });
    expect(h.stage('a')).toMatchObject({ status: 'complete', result: 'approvedWithChanges' });
  });

  it('"all" completes early on changes required', () => {
    const h = new Harness(twoStage({ completion: { rule: 'all' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'changesRequired' });
    expect(h.stage('a')).toMatchObject({ status: 'complete', result: 'changesRequired' });
  });

  it('all "not relevant" is a passing result', () => {
    const h = new Harness(twoStage({ completion: { rule: 'all' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'notRelevant' });
    h.do('bo', { type: 'decide', decision: 'notRelevant' });
    expect(h.stage('a').result).toBe('notRelevant');
    expect(h.stage('b').status).toBe('active');
  });

  it('"primary" completes on the primary decision; others are advisory', () => {
    const h = new Harness(twoStage({ completion: { rule: 'primary', primary: 'bo' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'changesRequired' });
    expect(h.stage('a').status).toBe('active');
    h.do('bo', { type: 'decide', decision: 'approved' });
    expect(h.stage('a')).toMatchObject({ status: 'complete', result: 'approved' });
  });

  it('"quorum" needs n approvals; a reviewer may change their decision while the stage is open', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    h.do('rita', { type: 'decide', decision: 'notRelevant' });
    expect(h.stage('regional').status).toBe('active');
    h.do('rita', { type: 'decide', decision: 'approved' });
    expect(h.stage('regional').decisions.rita?.decision).toBe('approved');
    h.do('raj', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('approved');
  });

  it('"quorum" completes early on changes required', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    h.do('raj', { type: 'decide', decision: 'changesRequired', reason: 'wrong store hours' });
    expect(h.state.status).toBe('returned');
  });

  it('reject ends the submission only where the stage allows it', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.fails('bea', { type: 'decide', decision: 'rejected' }, 'E_VALIDATION', /does not allow "rejected"/);
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.do('lee', { type: 'decide', decision: 'rejected', reason: 'unlawful claim' });
    expect(h.state.status).toBe('rejected');
    h.fails('rita', { type: 'decide', decision: 'approved' }, 'E_CONFLICT', /rejected/);
  });
});

describe('revoking and locking', () => {
  it('revoking reopens a completed stage; re-deciding a complete stage is refused', () => {
    const h = new Harness(twoStage({ completion: { rule: 'any' } }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.fails('bo', { type: 'decide', stageId: 'a', decision: 'changesRequired' }, 'E_CONFLICT', /already complete/);
    expect(h.types(h.do('bea', { type: 'revoke' }))).toEqual(['decision.revoked:a', 'stage.reopened:a']);
    expect(h.stage('a')).toMatchObject({ status: 'active', decisions: {} });
    expect(h.stage('a').result).toBeUndefined();
    h.fails('bea', { type: 'revoke' }, 'E_NOT_FOUND');
  });

  it('a stage that locks on completion refuses revokes and new decisions', () => {
    const h = new Harness(twoStage({ completion: { rule: 'any' }, lockOnComplete: true }));
    h.do('lena', textOnlySubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.fails('bea', { type: 'revoke', stageId: 'a' }, 'E_LOCKED');
    h.fails('bo', { type: 'decide', stageId: 'a', decision: 'approved' }, 'E_LOCKED');
  });

  it('revoking one of several decisions on an open stage keeps it open', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    h.do('rita', { type: 'decide', decision: 'approved' });
    expect(h.types(h.do('rita', { type: 'revoke', stageId: 'regional' }))).toEqual(['decision.revoked:regional']);
    expect(h.stage('regional').decisions).toEqual({});
  });
});

describe('changes required and the next version', () => {
  it('restarts from the first stage by default', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.do('lee', { type: 'decide', decision: 'changesRequired', reason: 'footnote missing' });
    expect(h.state).toMatchObject({ status: 'returned', returnedBy: ['legal'] });
    h.fails('bea', { type: 'decide', decision: 'approved' }, 'E_CONFLICT', /returned/);
    h.do('lena', { type: 'resubmit', contentHash: 'sha256:v2', facts: fullSubmit.facts });
    expect(h.state).toMatchObject({ status: 'inReview', round: 2, contentHash: 'sha256:v2' });
    expect(h.stage('brand')).toMatchObject({ status: 'active', visits: 2, decisions: {} });
  });

  it('restarts from the stage that asked when the workflow says so', () => {
    const h = new Harness({ ...standardWorkflow, version: 3, restartFrom: 'requesting' });
    h.do('lena', fullSubmit);
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.do('lee', { type: 'decide', decision: 'changesRequired' });
    const events = h.do('lena', { type: 'resubmit', contentHash: 'sha256:v2', facts: fullSubmit.facts });
    expect(events[0]?.data.kept).toEqual(['brand']);
    expect(h.stage('brand')).toMatchObject({ status: 'complete', result: 'approved', visits: 1 });
    expect(h.stage('legal')).toMatchObject({ status: 'active', visits: 2 });
  });

  it('a resubmission in review closes the open tasks and starts over', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.do('lena', { type: 'resubmit', contentHash: 'sha256:v2', facts: fullSubmit.facts });
    expect(h.effects.filter((e) => e.type === 'closeTask').map((e) => e.outcome)).toEqual(['superseded', 'superseded']);
    expect(h.effects.filter((e) => e.type === 'createTask')).toHaveLength(2);
  });
});

describe('diagnostics, overrides and force-approve', () => {
  const withErrors = { ...textOnlySubmit, facts: { ...textOnlySubmit.facts, lint: { errors: 2, warnings: 0 } } };

  it('blocks approval while errors are attached, until a permitted role overrides with a reason', () => {
    const h = new Harness();
    h.do('lena', withErrors);
    h.fails('bea', { type: 'decide', decision: 'approved' }, 'E_FORBIDDEN', /blocked: 2 error/);
    h.do('bo', { type: 'decide', decision: 'notRelevant' });
    h.fails('bea', { type: 'override', reason: 'fine' }, 'E_FORBIDDEN', /hub-admin/);
    h.fails('ada', { type: 'override', reason: '   ' }, 'E_VALIDATION', /reason/);
    h.do('ada', { type: 'override', reason: 'Known false positive in the legal footer' });
    expect(h.state.override).toMatchObject({ by: 'ada', errors: 2 });
    h.do('rita', { type: 'decide', decision: 'approved' });
    h.do('raj', { type: 'decide', decision: 'approved' });
    expect(h.state.status).toBe('approved');
    expect(
      h.events.some(
        (e) =>
          e.type === 'override.applied' &&
          e.actor.id === 'ada' &&
          e.data.reason === 'Known false positive in the legal footer',
      ),
    ).toBe(true);
  });

  it('new errors attached after an override block again', () => {
    const h = new Harness();
    h.do('lena', withErrors);
    h.do('ada', { type: 'override', reason: 'accepted' });
    h.do('lena', {
      type: 'attachDiagnostics',
      diagnostics: [{ ruleId: 'a11y/alt-text', severity: 'error', message: 'missing alt' }],
    });
    expect(h.state.lint.errors).toBe(3);
    h.fails('rita', { type: 'decide', stageId: 'brand', decision: 'approved' }, 'E_FORBIDDEN');
    h.fails('ada', { type: 'override', reason: '' }, 'E_VALIDATION');
  });

  it('refuses an override when nothing blocks', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    h.fails('ada', { type: 'override', reason: 'just because' }, 'E_CONFLICT', /Nothing to override/);
  });

  it('holds a submission whose stages were all skipped while errors block it', () => {
    const wf: WorkflowDefInput = {
      id: 'opt',
      version: 1,
      name: 'Optional',
      stages: [
        {
          id: 'legal',
          name: 'Legal',
          reviewers: [{ role: 'legal-reviewer' }],
          when: { fact: 'tags', op: 'contains', value: 'pricing' },
        },
      ],
      overrideRoles: ['hub-admin'],
    };
    const h = new Harness(wf);
    h.do('lena', withErrors);
    expect(h.state.status).toBe('inReview');
    h.do('ada', { type: 'override', reason: 'ok to ship' });
    expect(h.state.status).toBe('approved');
  });

  it('force-approves only for a permitted role, with a reason, and ends the review', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.fails('bea', { type: 'forceApprove', reason: 'urgent' }, 'E_FORBIDDEN');
    h.fails('ada', { type: 'forceApprove' }, 'E_VALIDATION', /reason/);
    h.do('ada', { type: 'forceApprove', reason: 'Launch moved up; legal signed off by phone' });
    expect(h.state).toMatchObject({
      status: 'approved',
      approvedContentHash: 'sha256:aaa',
      forceApproved: { by: 'ada' },
    });
    expect(h.effects).toContainEqual(
      expect.objectContaining({ type: 'closeTask', taskKey: 'sub-1/brand/1/bea', outcome: 'approved' }),
    );
  });

  it('lets the author withdraw', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.do('lena', { type: 'withdraw', reason: 'campaign cancelled' });
    expect(h.state.status).toBe('withdrawn');
    h.fails('lena', { type: 'resubmit', contentHash: 'x' }, 'E_CONFLICT');
  });
});

describe('workflow versions', () => {
  it('keeps running the pinned version and refuses another or a changed one', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    const v3 = { ...standardWorkflow, version: 3 };
    const other = new Harness(v3);
    other.state = h.state;
    other.fails('bea', { type: 'decide', decision: 'approved' }, 'E_CONFLICT', /pinned to workflow standard@2/);
    const edited = new Harness({ ...standardWorkflow, name: 'Edited in place' });
    edited.state = h.state;
    edited.fails('bea', { type: 'decide', decision: 'approved' }, 'E_CONFLICT', /immutable/);
  });

  it('puts the idempotency key on the first event of a command', () => {
    const h = new Harness();
    const events = h.do('lena', { ...fullSubmit, idempotencyKey: 'req-1' });
    expect(events[0]?.idempotencyKey).toBe('req-1');
    expect(events.slice(1).every((e) => e.idempotencyKey === undefined)).toBe(true);
  });

  it('stamps every event with the injected clock and ids', () => {
    const h = new Harness();
    const events = h.do('lena', fullSubmit);
    expect(events.map((e) => e.at)).toEqual(events.map(() => T0));
    expect(events.map((e) => e.id)).toEqual(['e1', 'e2']);
  });
});

describe('purity', () => {
  it('reduce and decide never change the state they are given', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    const before = structuredClone(h.state);
    const frozen = h.state;
    h.do('bea', { type: 'decide', decision: 'approved' });
    h.do('bea', { type: 'comment', text: 'ok' });
    expect(frozen).toEqual(before);
    const last = h.events[h.events.length - 1]!;
    const snapshot = structuredClone(frozen);
    reduce(frozen, last);
    expect(frozen).toEqual(snapshot);
    expect(fold(h.events.slice(3), fold(h.events.slice(0, 3)))).toEqual(h.state);
  });
});
