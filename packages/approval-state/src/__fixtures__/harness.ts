import { hybrid, type ErrorCode, type PrincipalInput, type WorkflowDefInput, type WorkflowEffect } from '@hubspoke/core';
import { expect } from 'vitest';
import { decide, type DecideResult } from '../decide.js';
import { initialState, type SubmissionState } from '../state.js';
import type { ApprovalEvent } from '@hubspoke/core';
import type { CommandInput } from '../commands.js';

type SubmitInput = Extract<CommandInput, { type: 'submit' }>;

export const people = {
  lena: { id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'] },
  sam: { id: 'sam', roles: ['spoke-marketer'], regions: ['EMEA'] },
  bea: { id: 'bea', roles: ['brand-manager'] },
  bo: { id: 'bo', roles: ['brand-manager'] },
  lee: { id: 'lee', roles: ['legal-reviewer'], groups: ['legal'] },
  rita: { id: 'rita', roles: ['regional-manager'], regions: ['EMEA'] },
  raj: { id: 'raj', roles: ['regional-manager'], regions: ['EMEA'] },
  rex: { id: 'rex', roles: ['regional-manager'], regions: ['EMEA'] },
  ron: { id: 'ron', roles: ['regional-manager'], regions: ['APAC'] },
  ada: { id: 'ada', roles: ['hub-admin'] },
  eve: { id: 'eve', roles: ['analyst'] },
} satisfies Record<string, PrincipalInput>;
export type Person = keyof typeof people;
export const directory = Object.values(people);

/** Brand (skipped on the goof-proof path), legal (pricing or new locale, with due dates), regional quorum of 2. */
export const standardWorkflow: WorkflowDefInput = {
  id: 'standard',
  version: 2,
  name: 'Standard review',
  stages: [
    {
      id: 'brand',
      name: 'Brand',
      reviewers: [{ role: 'brand-manager' }],
      completion: { rule: 'any' },
      when: { not: { all: [{ fact: 'change.touchedLockLevels', op: 'onlyContains', value: ['editable'] }, { fact: 'lint.errors', op: 'eq', value: 0 }] } },
    },
    {
      id: 'legal',
      name: 'Legal',
      reviewers: [{ role: 'legal-reviewer' }],
      activation: { on: 'approved', of: ['brand'] },
      when: { any: [{ fact: 'tags', op: 'containsAny', value: ['pricing', 'legal-claim'] }, { fact: 'newLocales', op: 'notEmpty' }] },
      due: { after: 'P2D', reminders: ['-PT4H', 'PT0S', 'PT8H'], escalation: { after: 'P1D', toRole: 'hub-admin' } },
      allowReject: true,
    },
    { id: 'regional', name: 'Regional', reviewers: [{ role: 'regional-manager', region: 'submission' }], completion: { rule: 'quorum', n: 2 }, lockOnComplete: true },
  ],
  restartFrom: 'first',
  overrideRoles: ['hub-admin'],
  forceApproveRoles: ['hub-admin'],
};

export const T0 = '2026-03-02T09:00:00.000Z';

/** Drives one submission through `decide` and `reduce` with a controllable clock and counting ids. */
export class Harness {
  state: SubmissionState;
  events: ApprovalEvent[] = [];
  effects: WorkflowEffect[] = [];
  now = T0;
  private n = 0;

  constructor(
    readonly workflow: WorkflowDefInput = standardWorkflow,
    streamId = 'sub-1',
    readonly people: readonly PrincipalInput[] = directory,
  ) {
    this.state = initialState(streamId);
  }

  context(principal: PrincipalInput) {
    return { workflow: this.workflow, operatingModel: hybrid, principal, now: this.now, newId: () => `e${++this.n}`, directory: this.people };
  }

  try(who: Person | PrincipalInput, command: Record<string, unknown>): DecideResult {
    const principal = typeof who === 'string' ? people[who] : who;
    const result = decide(this.state, command, this.context(principal));
    if (result.ok) {
      this.state = result.state;
      this.events.push(...result.events);
      this.effects = result.effects;
    }
    return result;
  }

  do(who: Person | PrincipalInput, command: Record<string, unknown>): ApprovalEvent[] {
    const result = this.try(who, command);
    if (!result.ok) throw result.error;
    return result.events;
  }

  fails(who: Person | PrincipalInput, command: Record<string, unknown>, code: ErrorCode, message?: RegExp): void {
    const before = this.state;
    const result = this.try(who, command);
    expect(result.ok, result.ok ? `expected ${code}, got events ${result.events.map((e) => e.type).join(', ')}` : '').toBe(false);
    if (!result.ok) {
      expect(result.error.code, result.error.message).toBe(code);
      if (message) expect(result.error.message).toMatch(message);
    }
    expect(this.state).toBe(before);
  }

  advance(iso: string): void {
    this.now = iso;
  }

  types(events: readonly ApprovalEvent[] = this.events): string[] {
    return events.map((e) => (typeof e.data.stageId === 'string' ? `${e.type}:${e.data.stageId}` : e.type));
  }

  stage(id: string) {
    const stage = this.state.stages.find((s) => s.id === id);
    if (stage === undefined) throw new Error(`no stage ${id}`);
    return stage;
  }
}

/** A full-review submission: structural change in EMEA with pricing and a new locale. */
export const fullSubmit = {
  type: 'submit',
  draftId: 'berlin-spring',
  title: 'Berlin spring sale',
  contentHash: 'sha256:aaa',
  facts: { region: 'EMEA', locales: ['de-DE'], newLocales: ['de-DE'], tags: ['pricing'], change: { touchedLockLevels: ['locked'], structural: true } },
} satisfies SubmitInput;

/** The goof-proof path: only editable text changed, lint clean, no pricing, no new locale. */
export const textOnlySubmit = {
  type: 'submit',
  draftId: 'berlin-spring',
  title: 'Berlin spring sale',
  contentHash: 'sha256:bbb',
  facts: { region: 'EMEA', locales: ['de-DE'], change: { touchedLockLevels: ['editable'], textOnly: true } },
} satisfies SubmitInput;
