import fc from 'fast-check';
import { hybrid, isHubspokeError, type ErrorCode } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { Harness, fullSubmit, people, textOnlySubmit, type Person } from './__fixtures__/harness.js';
import { decide } from './decide.js';
import { initialState } from './state.js';

type Expect = 'ok' | ErrorCode;
const withErrors = { ...fullSubmit, facts: { ...fullSubmit.facts, lint: { errors: 1, warnings: 0 } } };

/** For each command, what every kind of principal gets on lena's EMEA submission (brand stage active). */
const matrix: Record<
  string,
  { command: Record<string, unknown>; setup?: Record<string, unknown>; expect: Partial<Record<Person, Expect>> }
> = {
  'decide in brand': {
    command: { type: 'decide', stageId: 'brand', decision: 'approved' },
    expect: {
      lena: 'E_FORBIDDEN',
      sam: 'E_FORBIDDEN',
      bea: 'ok',
      bo: 'ok',
      lee: 'E_FORBIDDEN',
      rita: 'E_FORBIDDEN',
      ron: 'E_FORBIDDEN',
      ada: 'E_FORBIDDEN',
      eve: 'E_FORBIDDEN',
    },
  },
  comment: {
    command: { type: 'comment', text: 'Looks good' },
    expect: {
      lena: 'ok',
      sam: 'ok',
      bea: 'ok',
      lee: 'ok',
      rita: 'ok',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
  override: {
    setup: withErrors,
    command: { type: 'override', reason: 'false positive' },
    expect: {
      lena: 'E_FORBIDDEN',
      sam: 'E_FORBIDDEN',
      bea: 'E_FORBIDDEN',
      lee: 'E_FORBIDDEN',
      rita: 'E_FORBIDDEN',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
  'force-approve': {
    command: { type: 'forceApprove', reason: 'launch' },
    expect: {
      lena: 'E_FORBIDDEN',
      sam: 'E_FORBIDDEN',
      bea: 'E_FORBIDDEN',
      lee: 'E_FORBIDDEN',
      rita: 'E_FORBIDDEN',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
  withdraw: {
    command: { type: 'withdraw' },
    expect: {
      lena: 'ok',
      sam: 'E_FORBIDDEN',
      bea: 'E_FORBIDDEN',
      lee: 'E_FORBIDDEN',
      rita: 'ok',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
  resubmit: {
    command: { type: 'resubmit', contentHash: 'sha256:v2', facts: fullSubmit.facts },
    expect: {
      lena: 'ok',
      sam: 'E_FORBIDDEN',
      bea: 'E_FORBIDDEN',
      lee: 'E_FORBIDDEN',
      rita: 'ok',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
  'attach diagnostics': {
    command: { type: 'attachDiagnostics', diagnostics: [{ ruleId: 'brand/x', severity: 'warning', message: 'x' }] },
    expect: {
      lena: 'ok',
      sam: 'E_FORBIDDEN',
      bea: 'ok',
      lee: 'ok',
      rita: 'ok',
      ron: 'E_FORBIDDEN',
      ada: 'ok',
      eve: 'E_FORBIDDEN',
    },
  },
};

describe('permission matrix (hybrid operating model)', () => {
  for (const [name, row] of Object.entries(matrix)) {
    for (const [who, expected] of Object.entries(row.expect) as [Person, Expect][]) {
      it(`${name}: ${who} → ${expected}`, () => {
        const h = new Harness();
        h.do('lena', row.setup ?? fullSubmit);
        if (expected === 'ok') expect(h.do(who, row.command).length).toBeGreaterThan(0);
        else h.fails(who, row.command, expected);
      });
    }
  }

  it('submit: only who may submit for that author and region', () => {
    for (const [who, author, expected] of [
      ['lena', undefined, 'ok'],
      ['rita', 'lena', 'ok'],
      ['sam', 'lena', 'E_FORBIDDEN'],
      ['ron', 'lena', 'E_FORBIDDEN'],
      ['bea', undefined, 'E_FORBIDDEN'],
      ['eve', undefined, 'E_FORBIDDEN'],
    ] as const) {
      const h = new Harness();
      const command = author === undefined ? fullSubmit : { ...fullSubmit, author };
      if (expected === 'ok') h.do(who, command);
      else h.fails(who, command, expected);
    }
  });
});

describe('separation of duties', () => {
  it('the submitter is not assigned and cannot decide, even with the reviewer role', () => {
    const h = new Harness();
    h.do('rita', textOnlySubmit);
    expect(h.stage('regional').assignees).toEqual(['raj', 'rex']);
    h.fails('rita', { type: 'decide', decision: 'approved' }, 'E_FORBIDDEN', /separation of duties/);
  });

  it('the author is excluded when someone else submits for them', () => {
    const h = new Harness({
      id: 'regional',
      version: 1,
      name: 'Regional',
      stages: [
        {
          id: 'regional',
          name: 'Regional',
          reviewers: [{ role: 'regional-manager', region: 'submission' }],
          completion: { rule: 'any' },
        },
      ],
    });
    h.do('rita', { ...textOnlySubmit, author: 'raj' });
    expect(h.stage('regional').assignees).toEqual(['rex']);
    h.fails('raj', { type: 'decide', decision: 'approved' }, 'E_FORBIDDEN', /separation of duties/);
  });

  it('an admin cannot override or force-approve a submission they made', () => {
    const h = new Harness();
    h.do('ada', { ...withErrors, author: 'lena' });
    h.fails('ada', { type: 'override', reason: 'mine' }, 'E_FORBIDDEN', /separation of duties/);
    h.fails('ada', { type: 'forceApprove', reason: 'mine' }, 'E_FORBIDDEN', /separation of duties/);
  });

  it('a stage whose only possible reviewer is the author cannot start', () => {
    const h = new Harness({
      id: 'solo',
      version: 1,
      name: 'Solo',
      stages: [{ id: 'a', name: 'A', reviewers: [{ user: 'lena' }] }],
    });
    h.fails('lena', textOnlySubmit, 'E_VALIDATION', /no reviewer/);
    const primary = new Harness({
      id: 'p',
      version: 1,
      name: 'P',
      stages: [
        {
          id: 'a',
          name: 'A',
          reviewers: [{ role: 'brand-manager' }],
          completion: { rule: 'primary', primary: 'lena' },
        },
      ],
    });
    primary.fails('lena', textOnlySubmit, 'E_FORBIDDEN', /primary reviewer lena/);
  });

  it('a reviewer acts only in stages they are assigned to', () => {
    const h = new Harness();
    h.do('lena', fullSubmit);
    h.fails(
      'lee',
      { type: 'decide', stageId: 'brand', decision: 'approved' },
      'E_FORBIDDEN',
      /not a reviewer of stage "brand"/,
    );
    h.fails('lee', { type: 'decide', decision: 'approved' }, 'E_FORBIDDEN', /not a reviewer of any active stage/);
    h.fails('bea', { type: 'decide', stageId: 'legal', decision: 'approved' }, 'E_FORBIDDEN');
    h.fails('bea', { type: 'decide', stageId: 'nope', decision: 'approved' }, 'E_NOT_FOUND');
  });

  it('a region-scoped reviewer cannot act on another region', () => {
    const h = new Harness();
    h.do('lena', textOnlySubmit);
    h.fails('ron', { type: 'decide', stageId: 'regional', decision: 'approved' }, 'E_FORBIDDEN', /own region/);
  });
});

describe('hostile input', () => {
  const context = {
    workflow: new Harness().workflow,
    operatingModel: hybrid,
    principal: people.lena,
    now: '2026-03-02T09:00:00Z',
    newId: () => 'id',
  };

  it('never throws: arbitrary commands give events or a HubspokeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              type: fc.constantFrom('submit', 'decide', 'comment', 'override', 'tick', 'resubmit'),
              text: fc.string(),
              decision: fc.string(),
              contentHash: fc.string(),
              draftId: fc.string(),
              title: fc.string(),
            },
            { requiredKeys: ['type'] },
          ),
        ),
        (command) => {
          const result = decide(initialState('s'), command, context);
          if (!result.ok) expect(isHubspokeError(result.error)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the path of a bad command value', () => {
    const result = decide(
      initialState('s'),
      { ...fullSubmit, facts: { region: 'EMEA', tags: ['Not A Tag'] } },
      context,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'E_VALIDATION', path: 'command.facts.tags[0]' } });
    const unknown = decide(initialState('s'), { type: 'launchMissiles' }, context);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'E_VALIDATION', path: 'command.type' } });
  });

  it('rejects a malformed principal, clock, directory or operating model', () => {
    expect(decide(initialState('s'), fullSubmit, { ...context, principal: { id: '' } })).toMatchObject({
      ok: false,
      error: { code: 'E_VALIDATION' },
    });
    expect(decide(initialState('s'), fullSubmit, { ...context, now: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'E_VALIDATION', path: 'now' },
    });
    expect(
      decide(initialState('s'), fullSubmit, { ...context, directory: [{ id: 'x', roles: 'admin' }] }),
    ).toMatchObject({ ok: false, error: { code: 'E_VALIDATION' } });
    expect(decide(initialState('s'), fullSubmit, { ...context, operatingModel: 'anarchy' })).toMatchObject({
      ok: false,
      error: { code: 'E_VALIDATION' },
    });
    const getter = {
      get id(): string {
        throw new Error('boom');
      },
    };
    expect(decide(initialState('s'), fullSubmit, { ...context, principal: getter })).toMatchObject({
      ok: false,
      error: { code: 'E_VALIDATION' },
    });
  });

  it('keeps injection strings as data in titles, reasons and comments', () => {
    const h = new Harness();
    const evil = "<img src=x onerror=alert(1)>'; DROP TABLE approval_events; --";
    h.do('lena', { ...fullSubmit, title: evil });
    h.do('bea', { type: 'comment', text: evil });
    h.do('bea', { type: 'decide', decision: 'changesRequired', reason: evil });
    expect(h.state.title).toBe(evil);
    expect(h.state.comments[0]?.text).toBe(evil);
    expect(h.effects.find((e) => e.type === 'notify')).toMatchObject({
      message: expect.stringContaining(JSON.stringify(evil)),
    });
  });
});
