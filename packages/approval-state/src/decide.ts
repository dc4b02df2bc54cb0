import {
  HubspokeError,
  PrincipalSchema,
  actorOf,
  can,
  closest,
  countDiagnostics,
  isHubspokeError,
  parse,
  resolveOperatingModel,
  toHubspokeError,
  type Action,
  type ApprovalEvent,
  type ApprovalEventType,
  type Decision,
  type Diagnostic,
  type OperatingModel,
  type Principal,
  type StageDef,
  type SubmissionFacts,
  type WorkflowEffect,
} from '@hubspoke/core';
import { hashEvent } from './audit/hash-chain.js';
import { CommandSchema, type Command, type ResubmitCommand, type SubmitCommand } from './commands.js';
import { due } from './due.js';
import { effectsOf, type EventEffect } from './effects.js';
import type { AnchorIndex, EventData } from './events.js';
import { anchorKey } from './anchors.js';
import { isOwnSubmission, isStageReviewer, resolveReviewers, type SubmissionParties } from './reviewers.js';
import { evaluateCondition } from './routing.js';
import { cloneState, foldInPlace, type CommentState, type StageState, type SubmissionState } from './state.js';
import { addDuration } from './duration.js';
import { activationOf, prepareWorkflow, type PreparedWorkflow } from './workflow.js';

/** Everything `decide` needs besides the state and the command; the clock and ids are injected. */
export interface DecideContext {
  /** The workflow definition: for a new submission the one to start, otherwise the pinned version. */
  workflow: unknown;
  /** An operating model or a preset name (`centralized`, `decentralized`, `hybrid`). */
  operatingModel: OperatingModel | string;
  /** Who is acting. */
  principal: unknown;
  now: string | Date;
  newId: () => string;
  /** The people reviewer roles and groups resolve to. */
  directory?: readonly unknown[];
}

export type DecideResult =
  | {
      ok: true;
      events: ApprovalEvent[];
      state: SubmissionState;
      effects: WorkflowEffect[];
      /** The same effects, each with the seq of the event that caused it (what a store's outbox keeps). */
      eventEffects: EventEffect[];
    }
  | { ok: false; error: HubspokeError };

const RANK: Record<Decision, number> = {
  notRelevant: 0,
  approved: 1,
  approvedWithChanges: 2,
  changesRequired: 3,
  rejected: 4,
};
const PASSING = new Set<Decision>(['approved', 'approvedWithChanges', 'notRelevant']);
const BLOCKING = new Set<Decision>(['changesRequired', 'rejected']);
const APPROVING = new Set<Decision>(['approved', 'approvedWithChanges']);

/** Worst wins: rejected, then changes required, then approved with changes, then approved; all not relevant → not relevant. */
export function worstDecision(decisions: readonly Decision[]): Decision | undefined {
  let worst: Decision | undefined;
  for (const d of decisions) if (worst === undefined || RANK[d] > RANK[worst]) worst = d;
  return worst;
}

const models = new WeakMap<object, OperatingModel>();
const directories = new WeakMap<object, Principal[]>();

function modelOf(input: OperatingModel | string): OperatingModel {
  if (typeof input === 'string') return resolveOperatingModel(input);
  let model = models.get(input);
  if (model === undefined) {
    model = resolveOperatingModel(input);
    models.set(input, model);
  }
  return model;
}

function directoryOf(input: readonly unknown[] | undefined): Principal[] {
  if (input === undefined) return [];
  let directory = directories.get(input);
  if (directory === undefined) {
    directory = input.map((p, i) => parse(PrincipalSchema, p, `directory[${i}]`));
    directories.set(input, directory);
  }
  return directory;
}

function forbidden(message: string, details: Record<string, unknown> = {}, hint?: string): HubspokeError {
  return new HubspokeError('E_FORBIDDEN', message, hint === undefined ? { details } : { details, hint });
}

function conflict(message: string, details: Record<string, unknown> = {}): HubspokeError {
  return new HubspokeError('E_CONFLICT', message, { details });
}

/** The same object without `undefined` members (built anew: deleting keys would slow every later read of it). */
function strip<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One command being decided: emits events and folds them at once, so later steps see their effect. */
class Run {
  readonly events: ApprovalEvent[] = [];
  readonly effects: WorkflowEffect[] = [];
  readonly eventEffects: EventEffect[] = [];
  readonly now: string;
  readonly wf: PreparedWorkflow;
  readonly model: OperatingModel;
  readonly principal: Principal;
  readonly directory: Principal[];
  private owned = false;

  constructor(
    public state: SubmissionState,
    readonly command: Command,
    readonly context: DecideContext,
  ) {
    this.wf = prepareWorkflow(context.workflow);
    this.model = modelOf(context.operatingModel);
    this.principal = parse(PrincipalSchema, context.principal, 'principal');
    this.directory = directoryOf(context.directory);
    const now = context.now instanceof Date ? context.now : new Date(context.now);
    if (Number.isNaN(now.getTime()))
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid now: expected a date or ISO timestamp, got ${JSON.stringify(String(context.now))}`,
        { path: 'now' },
      );
    this.now = now.toISOString();
    if (state.status !== 'new') {
      const pinned = state.workflow;
      if (this.wf.def.id !== pinned.id || this.wf.def.version !== pinned.version) {
        throw conflict(
          `Submission ${state.streamId} is pinned to workflow ${pinned.id}@${pinned.version}, not ${this.wf.def.id}@${this.wf.def.version}`,
          { pinned },
        );
      }
      if (this.wf.hash !== pinned.hash) {
        throw conflict(
          `Workflow ${pinned.id}@${pinned.version} changed after submission ${state.streamId} pinned it; workflow versions are immutable, publish the change as a new version`,
          { pinned },
        );
      }
    }
  }

  emit<T extends ApprovalEventType>(type: T, data: EventData<T>): void {
    const unsealed: Omit<ApprovalEvent, 'hash'> = {
      schemaVersion: 1,
      id: this.context.newId(),
      streamId: this.state.streamId,
      seq: this.state.seq + 1,
      type,
      at: this.now,
      actor: actorOf(this.principal),
      workflow: { id: this.wf.def.id, version: this.wf.def.version },
      data: strip(data as Record<string, unknown>),
      prevHash: this.state.head,
    };
    if (this.events.length === 0 && this.command.idempotencyKey !== undefined)
      unsealed.idempotencyKey = this.command.idempotencyKey;
    const event: ApprovalEvent = { ...unsealed, hash: hashEvent(unsealed) };
    for (const effect of effectsOf(this.state, event)) {
      this.effects.push(effect);
      this.eventEffects.push({ seq: event.seq, effect });
    }
    if (!this.owned) {
      // Copy on first write: the caller's state stays untouched, and a refused command costs no copy.
      this.state = cloneState(this.state);
      this.owned = true;
    }
    foldInPlace(this.state, [event]);
    this.events.push(event);
  }

  // ── checks ────────────────────────────────────────────────────────────────

  require(action: Action): void {
    const decision = can(this.model, this.principal, action, {
      region: this.state.region ?? this.state.facts.region,
      team: this.state.team,
      ownerId: this.state.author,
    });
    if (!decision.allowed) throw forbidden(decision.reason, { principal: this.principal.id, action });
  }

  allowed(action: Action): boolean {
    return can(this.model, this.principal, action, {
      region: this.state.region,
      team: this.state.team,
      ownerId: this.state.author,
    }).allowed;
  }

  requireNotOwn(what: string): void {
    if (isOwnSubmission(this.state, this.principal.id)) {
      throw forbidden(
        `${this.principal.id} cannot ${what} submission ${this.state.streamId}: authors and submitters do not review their own work (separation of duties)`,
        { principal: this.principal.id, rule: 'separation-of-duties' },
      );
    }
  }

  requireStatus(...allowed: SubmissionState['status'][]): void {
    if (this.state.status === 'new')
      throw new HubspokeError('E_NOT_FOUND', `Submission ${this.state.streamId} does not exist`, {
        details: { submissionId: this.state.streamId },
      });
    if (!allowed.includes(this.state.status)) {
      throw conflict(
        `Submission ${this.state.streamId} is ${this.state.status}; ${this.command.type} needs it ${allowed.join(' or ')}`,
        { status: this.state.status },
      );
    }
  }

  requireRoleIn(roles: readonly string[], what: string): void {
    if (!this.principal.roles.some((r) => roles.includes(r))) {
      throw forbidden(
        `${this.principal.id} may not ${what}: workflow ${this.wf.def.id} allows it only for ${roles.length === 0 ? 'no role' : roles.join(', ')}`,
        { principal: this.principal.id },
      );
    }
  }

  stageDef(stageId: string): { def: StageDef; index: number } {
    const index = this.wf.def.stages.findIndex((s) => s.id === stageId);
    const def = this.wf.def.stages[index];
    if (def === undefined) {
      const known = this.wf.def.stages.map((s) => s.id);
      const near = closest(stageId, known);
      throw new HubspokeError(
        'E_NOT_FOUND',
        `Workflow ${this.wf.def.id} has no stage "${stageId}"${near === undefined ? '' : `; did you mean "${near}"?`}`,
        {
          path: 'command.stageId',
          hint: `its stages: ${known.join(', ')}`,
          details: { stageId, known, ...(near === undefined ? {} : { didYouMean: near }) },
        },
      );
    }
    return { def, index };
  }

  stage(stageId: string): StageState {
    const stage = this.state.stages.find((s) => s.id === stageId);
    if (stage === undefined)
      throw new HubspokeError('E_NOT_FOUND', `Submission ${this.state.streamId} has no stage "${stageId}"`, {
        path: 'command.stageId',
      });
    return stage;
  }

  /** Errors block approval unless an override covers at least as many errors as there are now. */
  blockedByErrors(): boolean {
    if (!this.wf.def.blockOnErrors || this.state.lint.errors === 0) return false;
    return this.state.override === undefined || this.state.override.errors < this.state.lint.errors;
  }

  // ── routing and progress ──────────────────────────────────────────────────

  facts(command: SubmitCommand | ResubmitCommand, raw: unknown): SubmissionFacts {
    const facts: SubmissionFacts = structuredClone(command.facts);
    if (command.change !== undefined) {
      facts.change = {
        touchedLockLevels: command.change.touchedLockLevels,
        structural: command.change.structural,
        textOnly: command.change.textOnly,
      };
      facts.newLocales = [...new Set([...facts.newLocales, ...command.change.newLocales])];
    }
    if (command.diagnostics !== undefined) {
      const counts = countDiagnostics(command.diagnostics);
      const rawLint = (raw as { facts?: { lint?: unknown } } | null)?.facts?.lint;
      if (rawLint !== undefined && (facts.lint.errors !== counts.error || facts.lint.warnings !== counts.warning)) {
        throw new HubspokeError(
          'E_VALIDATION',
          `Invalid command: command.facts.lint (${facts.lint.errors} errors, ${facts.lint.warnings} warnings) disagrees with command.diagnostics (${counts.error} errors, ${counts.warning} warnings); give one of them`,
          { path: 'command.facts.lint' },
        );
      }
      facts.lint = { errors: counts.error, warnings: counts.warning };
    }
    return facts;
  }

  routed(stage: StageDef, facts: SubmissionFacts, author: string): boolean {
    return stage.when === undefined || evaluateCondition(stage.when, { facts, author });
  }

  plan(): EventData<'submission.created'>['stages'] {
    return this.wf.def.stages.map((s) =>
      s.activation?.on === 'at'
        ? { id: s.id, name: s.name, activateAt: new Date(s.activation.at).toISOString() }
        : { id: s.id, name: s.name },
    );
  }

  /** Every stage that will run must have someone who may decide it. */
  assertStaffed(stages: readonly StageDef[], submission: SubmissionParties): void {
    for (const def of stages) {
      const index = this.wf.def.stages.indexOf(def);
      const path = `workflow.stages[${index}]`;
      if (def.completion.rule === 'primary' && isOwnSubmission(submission, def.completion.primary)) {
        throw forbidden(
          `Stage "${def.id}": its primary reviewer ${def.completion.primary} is the author or submitter (separation of duties)`,
          { stageId: def.id, rule: 'separation-of-duties' },
        );
      }
      const reviewers = resolveReviewers(def, this.directory, submission);
      if (reviewers.length === 0) {
        throw new HubspokeError(
          'E_VALIDATION',
          `Stage "${def.id}" has no reviewer who may decide it (the author and submitter are excluded)`,
          { path: `${path}.reviewers`, hint: "Add people with the stage's roles or groups to the directory." },
        );
      }
      if (def.completion.rule === 'quorum' && def.completion.n > reviewers.length) {
        throw new HubspokeError(
          'E_VALIDATION',
          `Stage "${def.id}" needs a quorum of ${def.completion.n} but only ${reviewers.length} reviewer(s) can decide it`,
          { path: `${path}.completion.n` },
        );
      }
    }
  }

  activate(def: StageDef, trigger: EventData<'stage.activated'>['trigger']): void {
    const data: EventData<'stage.activated'> = {
      stageId: def.id,
      assignees: resolveReviewers(def, this.directory, this.state),
      trigger,
    };
    if (def.due !== undefined) {
      const dueAt = addDuration(this.now, def.due.after);
      data.dueAt = dueAt;
      data.reminders = def.due.reminders
        .map((offset) => addDuration(dueAt, offset))
        .sort((a, b) => Date.parse(a) - Date.parse(b));
      if (def.due.escalation !== undefined)
        data.escalation = { at: addDuration(dueAt, def.due.escalation.after), toRole: def.due.escalation.toRole };
    }
    this.emit('stage.activated', data);
  }

  /** Can a pending stage still start in this round (it waits on time or on stages that may yet pass)? */
  reachable(index: number, seen = new Set<number>()): boolean {
    const stage = this.state.stages[index];
    if (stage === undefined || seen.has(index)) return false;
    if (stage.status === 'active') return true;
    if (stage.status !== 'pending') return false;
    seen.add(index);
    const activation = activationOf(this.wf.def, index);
    if (activation.on === 'submit' || activation.on === 'at') return true;
    return (activation.of ?? []).every((id) => {
      const i = this.state.stages.findIndex((s) => s.id === id);
      const dep = this.state.stages[i];
      if (dep === undefined || dep.status === 'skipped') return true;
      if (dep.status === 'complete')
        return activation.on === 'decided' || (dep.result !== undefined && PASSING.has(dep.result));
      return this.reachable(i, seen);
    });
  }

  /** Starts every stage whose activation holds, then closes the round when nothing is left to run. */
  settle(): void {
    if (this.state.status !== 'inReview') return;
    for (let changed = true; changed;) {
      changed = false;
      this.wf.def.stages.forEach((def, index) => {
        const stage = this.state.stages[index];
        if (stage?.status !== 'pending') return;
        const activation = activationOf(this.wf.def, index);
        const done = (id: string, passing: boolean): boolean => {
          const dep = this.state.stages.find((s) => s.id === id);
          if (dep === undefined || dep.status === 'skipped') return true;
          return dep.status === 'complete' && (!passing || (dep.result !== undefined && PASSING.has(dep.result)));
        };
        const ready =
          activation.on === 'submit' ||
          (activation.on === 'at' &&
            stage.activateAt !== undefined &&
            Date.parse(stage.activateAt) <= Date.parse(this.now)) ||
          (activation.on === 'approved' && (activation.of ?? []).every((id) => done(id, true))) ||
          (activation.on === 'decided' && (activation.of ?? []).every((id) => done(id, false)));
        if (ready) {
          this.activate(def, activation.on);
          changed = true;
        }
      });
    }
    if (this.state.stages.some((s, i) => s.status === 'active' || (s.status === 'pending' && this.reachable(i))))
      return;
    const requesting = this.state.stages
      .filter((s) => s.status === 'complete' && s.result === 'changesRequired')
      .map((s) => s.id);
    if (requesting.length > 0) {
      this.emit('submission.returned', { stages: requesting });
      return;
    }
    if (this.blockedByErrors()) return;
    this.emit('submission.approved', { contentHash: this.state.contentHash });
  }

  /** The stage's result if its completion rule is met. */
  completion(def: StageDef, stage: StageState): Decision | undefined {
    const records = Object.values(stage.decisions);
    if (records.length === 0) return undefined;
    const all = records.map((r) => r.decision);
    const worst = worstDecision(all);
    if (records.some((r) => r.escalated === true)) return worst;
    const rule = def.completion;
    switch (rule.rule) {
      case 'primary':
        return stage.decisions[rule.primary]?.decision;
      case 'any':
        return worst;
      case 'all':
      case 'quorum': {
        if (all.some((d) => BLOCKING.has(d))) return worst;
        if (stage.assignees.every((id) => stage.decisions[id] !== undefined)) return worst;
        if (rule.rule === 'quorum' && all.filter((d) => APPROVING.has(d)).length >= rule.n) return worst;
        return undefined;
      }
    }
  }

  completeIfDone(def: StageDef): void {
    const stage = this.stage(def.id);
    const result = this.completion(def, stage);
    if (result === undefined) return;
    this.emit('stage.completed', { stageId: def.id, result });
    if (result === 'rejected') {
      this.emit('submission.rejected', { stageId: def.id });
      return;
    }
    this.settle();
  }

  // ── commands ──────────────────────────────────────────────────────────────

  run(raw: unknown): void {
    const c = this.command;
    switch (c.type) {
      case 'submit': {
        this.submit(c, raw);
        return;
      }
      case 'resubmit': {
        this.resubmit(c, raw);
        return;
      }
      case 'decide': {
        this.decide(c.decision, c.stageId, c.reason);
        return;
      }
      case 'revoke': {
        this.revoke(c.stageId);
        return;
      }
      case 'comment': {
        this.comment(c);
        return;
      }
      case 'resolveComment':
      case 'reopenComment': {
        this.toggleComment(c.commentId, c.type === 'resolveComment');
        return;
      }
      case 'attachDiagnostics': {
        this.attachDiagnostics(c.diagnostics);
        return;
      }
      case 'override': {
        this.override(c.reason);
        return;
      }
      case 'forceApprove': {
        this.forceApprove(c.reason);
        return;
      }
      case 'withdraw': {
        this.withdraw(c.reason);
        return;
      }
      case 'tick': {
        this.tick();
        return;
      }
    }
  }

  submit(c: SubmitCommand, raw: unknown): void {
    if (this.state.status !== 'new')
      throw conflict(`Submission ${this.state.streamId} already exists`, { status: this.state.status });
    const facts = this.facts(c, raw);
    const author = c.author ?? this.principal.id;
    const submission = { author, submitter: this.principal.id, region: facts.region };
    const decision = can(this.model, this.principal, 'draft.submit', {
      region: facts.region,
      team: c.team,
      ownerId: author,
    });
    if (!decision.allowed) throw forbidden(decision.reason, { principal: this.principal.id, action: 'draft.submit' });
    // A submission is filed under its draft's region, which must be one the principal may create in:
    // `draft.submit` may be granted on what one authored, which says nothing about the region.
    const create = can(this.model, this.principal, 'draft.create', {
      region: facts.region,
      team: c.team,
      ownerId: author,
    });
    if (!create.allowed)
      throw forbidden(
        facts.region === undefined
          ? `${this.principal.id} may not submit a draft without a region: ${create.reason}`
          : `${this.principal.id} may not submit a draft of region ${facts.region}: ${create.reason}`,
        { principal: this.principal.id, action: 'draft.create', region: facts.region ?? null },
      );
    const routed = this.wf.def.stages.map((s) => this.routed(s, facts, author));
    this.assertStaffed(
      this.wf.def.stages.filter((_, i) => routed[i]),
      submission,
    );
    this.emit('submission.created', {
      round: 1,
      draftVersion: c.draftVersion,
      contentHash: c.contentHash,
      facts,
      lint: facts.lint,
      anchors: c.anchors,
      stages: this.plan(),
      draftId: c.draftId,
      title: c.title,
      author,
      submitter: this.principal.id,
      region: facts.region,
      team: c.team,
      workflowHash: this.wf.hash,
    });
    this.skipUnrouted(routed, []);
    this.settle();
  }

  skipUnrouted(routed: readonly boolean[], kept: readonly string[]): void {
    this.wf.def.stages.forEach((s, i) => {
      if (!routed[i] && !kept.includes(s.id))
        this.emit('stage.skipped', {
          stageId: s.id,
          reason: 'its routing condition does not hold for this submission',
        });
    });
  }

  resubmit(c: ResubmitCommand, raw: unknown): void {
    this.requireStatus('returned', 'inReview');
    this.require('draft.submit');
    const given = this.facts(c, raw);
    // The region is fixed at submission: a new version may not move it (nor drop it) to reach other reviewers.
    if (given.region !== undefined && given.region !== this.state.region)
      throw forbidden(
        `Submission ${this.state.streamId} belongs to region ${this.state.region ?? '(none)'}; a new version cannot move it to ${given.region}`,
        { principal: this.principal.id, action: 'draft.submit', region: given.region },
      );
    const facts = this.state.region === undefined ? given : { ...given, region: this.state.region };
    const routed = this.wf.def.stages.map((s) => this.routed(s, facts, this.state.author));
    let kept: string[] = [];
    if (this.wf.def.restartFrom === 'requesting' && this.state.status === 'returned') {
      const first = Math.min(...this.state.returnedBy.map((id) => this.state.stages.findIndex((s) => s.id === id)));
      kept = this.state.stages
        .filter(
          (s, i) =>
            i < first &&
            routed[i] === true &&
            s.status === 'complete' &&
            s.result !== undefined &&
            PASSING.has(s.result),
        )
        .map((s) => s.id);
    }
    this.assertStaffed(
      this.wf.def.stages.filter((s, i) => routed[i] === true && !kept.includes(s.id)),
      this.state,
    );
    this.emit('submission.resubmitted', {
      round: this.state.round + 1,
      draftVersion: c.draftVersion,
      contentHash: c.contentHash,
      facts,
      lint: facts.lint,
      anchors: c.anchors,
      stages: this.plan(),
      kept,
      outdatedComments:
        c.anchors === undefined
          ? []
          : this.state.comments.filter((cm) => !anchorHolds(cm, c.anchors ?? {})).map((cm) => cm.id),
    });
    this.skipUnrouted(routed, kept);
    this.settle();
  }

  decide(decision: Decision, stageId: string | undefined, reason: string | undefined): void {
    this.requireStatus('inReview');
    this.require('submission.decide');
    this.requireNotOwn('decide on');
    const { def, stage } = this.reviewerStage(stageId);
    if (stage.status === 'complete') {
      if (def.lockOnComplete)
        throw new HubspokeError('E_LOCKED', `Stage "${def.id}" is complete and locked`, {
          details: { stageId: def.id },
        });
      throw conflict(
        `Stage "${def.id}" is already complete (${stage.result ?? 'decided'}); revoke a decision to reopen it`,
        { stageId: def.id },
      );
    }
    if (stage.status !== 'active')
      throw conflict(`Stage "${def.id}" is ${stage.status}, not active`, { stageId: def.id, status: stage.status });
    if (decision === 'rejected' && !def.allowReject) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid command: command.decision: stage "${def.id}" does not allow "rejected"; use "changesRequired"`,
        { path: 'command.decision' },
      );
    }
    if (APPROVING.has(decision) && this.blockedByErrors()) {
      const roles = this.wf.def.overrideRoles;
      throw forbidden(
        `Approval of ${this.state.streamId} is blocked: ${this.state.lint.errors} error-level diagnostic(s) are attached`,
        { reason: 'blocked-by-diagnostics', errors: this.state.lint.errors },
        roles.length > 0
          ? `Fix the errors and resubmit, or ask a ${roles.join(' or ')} to override with a reason.`
          : 'Fix the errors and resubmit.',
      );
    }
    this.emit('decision.made', { stageId: def.id, decision, reason });
    this.completeIfDone(def);
  }

  /** The stage a reviewer acts in: the one named, or the only active stage they review. */
  reviewerStage(stageId: string | undefined): { def: StageDef; stage: StageState } {
    if (stageId !== undefined) {
      const { def } = this.stageDef(stageId);
      const stage = this.stage(stageId);
      if (!isStageReviewer(this.principal, def, stage, this.state.region)) {
        throw forbidden(`${this.principal.id} is not a reviewer of stage "${stageId}"`, {
          principal: this.principal.id,
          stageId,
        });
      }
      return { def, stage };
    }
    const mine = this.state.stages.filter((s, i) => {
      const def = this.wf.def.stages[i];
      return s.status === 'active' && def !== undefined && isStageReviewer(this.principal, def, s, this.state.region);
    });
    const only = mine[0];
    if (only === undefined)
      throw forbidden(`${this.principal.id} is not a reviewer of any active stage of ${this.state.streamId}`, {
        principal: this.principal.id,
      });
    if (mine.length > 1) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid command: command.stageId: ${this.principal.id} reviews ${mine.map((s) => s.id).join(' and ')}; say which stage`,
        { path: 'command.stageId' },
      );
    }
    return { def: this.stageDef(only.id).def, stage: only };
  }

  revoke(stageId: string | undefined): void {
    this.requireStatus('inReview');
    this.require('submission.decide');
    // A stage the workflow lacks is named as such (with did-you-mean), not as "no decision there".
    if (stageId !== undefined) this.stageDef(stageId);
    const mine = this.state.stages.filter(
      (s) => s.decisions[this.principal.id] !== undefined && (stageId === undefined || s.id === stageId),
    );
    const stage = mine[0];
    if (stage === undefined)
      throw new HubspokeError(
        'E_NOT_FOUND',
        `${this.principal.id} has no decision to revoke${stageId === undefined ? '' : ` in stage "${stageId}"`}`,
        { path: 'command.stageId' },
      );
    if (mine.length > 1)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid command: command.stageId: ${this.principal.id} decided in ${mine.map((s) => s.id).join(' and ')}; say which stage`,
        { path: 'command.stageId' },
      );
    const { def } = this.stageDef(stage.id);
    if (stage.status === 'complete' && def.lockOnComplete)
      throw new HubspokeError(
        'E_LOCKED',
        `Stage "${def.id}" is complete and locked; its decisions can no longer change`,
        { details: { stageId: def.id } },
      );
    this.emit('decision.revoked', { stageId: def.id });
    if (stage.status === 'complete') {
      this.emit('stage.reopened', { stageId: def.id });
      this.completeIfDone(def);
    }
  }

  comment(c: Extract<Command, { type: 'comment' }>): void {
    this.requireStatus('inReview', 'returned');
    this.require('submission.comment');
    const id = c.commentId ?? this.context.newId();
    if (this.state.comments.some((cm) => cm.id === id))
      throw conflict(`Comment ${id} already exists`, { commentId: id });
    let parentId: string | undefined;
    if (c.parentId !== undefined) {
      const parent = this.commentById(c.parentId);
      if (c.anchor !== undefined)
        throw new HubspokeError('E_VALIDATION', "Invalid command: command.anchor: a reply takes its thread's anchor", {
          path: 'command.anchor',
        });
      parentId = parent.parentId ?? parent.id;
    }
    let anchorValue: string | undefined;
    if (c.anchor !== undefined && this.state.anchors !== undefined) {
      const key = anchorKey(c.anchor);
      anchorValue = this.state.anchors[key];
      if (anchorValue === undefined)
        throw new HubspokeError(
          'E_NOT_FOUND',
          `Invalid command: command.anchor: "${key}" does not exist in version ${this.state.round} of ${this.state.streamId}`,
          { path: 'command.anchor' },
        );
    }
    this.emit('comment.added', {
      commentId: id,
      text: c.text,
      anchor: c.anchor,
      anchorValue: anchorValue === '' ? undefined : anchorValue,
      parentId,
      mentions: [...new Set(c.mentions)],
    });
  }

  commentById(id: string): CommentState {
    const comment = this.state.comments.find((cm) => cm.id === id);
    if (comment === undefined)
      throw new HubspokeError('E_NOT_FOUND', `Comment ${id} does not exist on ${this.state.streamId}`, {
        path: 'command.commentId',
      });
    return comment;
  }

  toggleComment(commentId: string, resolve: boolean): void {
    this.requireStatus('inReview', 'returned', 'approved', 'rejected', 'withdrawn');
    this.require('submission.comment');
    const comment = this.commentById(commentId);
    if (comment.parentId !== undefined)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid command: command.commentId: ${commentId} is a reply; resolve its thread ${comment.parentId}`,
        { path: 'command.commentId' },
      );
    const mayResolve =
      comment.author === this.principal.id ||
      isOwnSubmission(this.state, this.principal.id) ||
      this.allowed('submission.decide');
    if (!mayResolve)
      throw forbidden(
        `${this.principal.id} may not ${resolve ? 'resolve' : 'reopen'} comment ${commentId}: only its author, the submission's author or a reviewer may`,
        { principal: this.principal.id },
      );
    if (comment.resolved === resolve)
      throw conflict(`Comment ${commentId} is already ${resolve ? 'resolved' : 'open'}`, { commentId });
    this.emit(resolve ? 'comment.resolved' : 'comment.reopened', { commentId });
  }

  attachDiagnostics(diagnostics: Diagnostic[]): void {
    this.requireStatus('inReview');
    if (!this.allowed('draft.submit') && !this.allowed('submission.decide')) this.require('submission.decide');
    const counts = countDiagnostics(diagnostics);
    this.emit('diagnostics.attached', { diagnostics, lint: { errors: counts.error, warnings: counts.warning } });
  }

  override(reason: string): void {
    this.requireStatus('inReview');
    this.requireRoleIn(this.wf.def.overrideRoles, 'override blocking diagnostics');
    this.require('submission.override');
    this.requireNotOwn('override diagnostics on');
    if (!this.blockedByErrors())
      throw conflict(`Nothing to override: no error-level diagnostic blocks ${this.state.streamId}`, {
        errors: this.state.lint.errors,
      });
    this.emit('override.applied', { reason, errors: this.state.lint.errors });
    this.settle();
  }

  forceApprove(reason: string): void {
    this.requireStatus('inReview', 'returned');
    this.requireRoleIn(this.wf.def.forceApproveRoles, 'force-approve');
    this.require('submission.forceApprove');
    this.requireNotOwn('force-approve');
    this.emit('submission.forceApproved', { reason, contentHash: this.state.contentHash });
  }

  withdraw(reason: string | undefined): void {
    this.requireStatus('inReview', 'returned');
    this.require('submission.withdraw');
    this.emit('submission.withdrawn', { reason });
  }

  tick(): void {
    if (this.state.status !== 'inReview') return;
    for (const item of due(this.state, this.now)) {
      if (item.kind === 'reminder') this.emit('reminder.sent', { stageId: item.stageId, at: item.at, to: item.to });
      if (item.kind === 'escalation') {
        const assignees = this.directory
          .filter((p) => p.roles.includes(item.toRole) && !isOwnSubmission(this.state, p.id))
          .map((p) => p.id);
        this.emit('stage.escalated', { stageId: item.stageId, toRole: item.toRole, assignees });
      }
    }
    this.settle();
  }
}

function anchorHolds(comment: CommentState, anchors: AnchorIndex): boolean {
  if (comment.anchor === undefined) return true;
  const value = anchors[anchorKey(comment.anchor)];
  if (value === undefined) return false;
  return comment.anchor.range === undefined || comment.anchorValue === undefined || comment.anchorValue === value;
}

/**
 * Decides what a command means for a submission: the events to append, or why not. Pure: the
 * clock and id generator come from the context, nothing is stored, nothing is sent.
 */
export function decide(state: SubmissionState, command: unknown, context: DecideContext): DecideResult {
  try {
    const parsed = parse(CommandSchema, command, 'command');
    const run = new Run(state, parsed, context);
    run.run(command);
    return { ok: true, events: run.events, state: run.state, effects: run.effects, eventEffects: run.eventEffects };
  } catch (error) {
    return { ok: false, error: isHubspokeError(error) ? error : toHubspokeError(error) };
  }
}
