/* eslint-disable @typescript-eslint/require-await -- an in-memory implementation of an async interface: each method resolves at once, and throwing inside async keeps failures as rejections */
import {
  checkArgs,
  DraftSchema,
  guardMethods,
  HubspokeError,
  parse,
  type Decision,
  type Draft,
  type Template,
} from '@hubspoke/core';
import { createDraft, validateDraft, type FetchSkeleton } from '@hubspoke/template-engine/fill';
import { SOURCE_ARGS } from './source-args.js';
import type {
  CommentInput,
  DecisionInput,
  DraftRecord,
  DraftStatus,
  EditorDataSource,
  HubInfo,
  InboxItem,
  PushResult,
  ReviewComment,
  SourceEvent,
  StageView,
  Suggestion,
  SubmissionView,
  Translation,
  Viewer,
} from './types.js';

export interface MemoryStage {
  id: string;
  name: string;
  /** Viewer ids who review this stage. */
  reviewers: string[];
  /** Hours from the stage's start to its due date. */
  dueInHours?: number;
  /** Role that takes over when the stage is overdue. */
  escalateTo?: string;
}

export interface MemoryHubOptions {
  hub: HubInfo;
  templates: Template[];
  viewers: Viewer[];
  /** Compiles skeletons (mjml runs somewhere else: a worker, a bridge to Node, a server). */
  skeleton: FetchSkeleton;
  /** Review stages, in order (default: one "Brand review" by every reviewer). */
  stages?: MemoryStage[];
  /** Roles that may approve over error findings. */
  overrideRoles?: string[];
  drafts?: Draft[];
  /** Today (tests pin it). */
  now?: () => Date;
  assist?: {
    subjectVariants?(draft: Draft, locale: string): Promise<Suggestion[]>;
    altText?(image: { src: string; assetId?: string }, locale: string): Promise<Suggestion[]>;
    translate?(draft: Draft, from: string, to: string): Promise<Translation>;
  };
}

interface StoredDraft {
  draft: Draft;
  version: number;
  status: DraftStatus;
  submissionId?: string;
}

interface StoredSubmission {
  view: Omit<SubmissionView, 'allowedDecisions' | 'canOverride'>;
}

const clone = <T>(value: T): T => structuredClone(value);

const SOURCE = 'MemoryHub source';

/** `value` as structuredClone copies it (`as()`'s methods hand out copies), or `E_VALIDATION` at `path`. */
function plainData(value: unknown, path: string): void {
  try {
    structuredClone(value);
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${path}: MemoryHub expected plain data (no functions, symbols or 10,000-level nesting)`,
      { path, cause },
    );
  }
}

/** A century of hours: a due date any clock's today plus this is still a valid Date. */
const MAX_DUE_HOURS = 876_000;

function strings(list: readonly unknown[], path: string): void {
  list.forEach((item, i) => {
    checkArgs('MemoryHub', [`${path}[${i}]:string`], [item]);
  });
}

/**
 * The options, checked once (O(their size)) so that no later call trips over one: every method of
 * a hub hands out copies of them, so they must be plain data of the documented shapes.
 */
function checkOptions(options: MemoryHubOptions): void {
  checkArgs('MemoryHub', ['options:object'], [options]);
  const { hub, templates, viewers, skeleton, stages, overrideRoles, drafts, now, assist } = options;
  checkArgs(
    'MemoryHub',
    [
      'hub:object',
      'templates:array',
      'viewers:array',
      'skeleton:function',
      'stages:array?',
      'overrideRoles:array?',
      'drafts:array?',
      'now:function?',
      'assist:object?',
    ],
    [hub, templates, viewers, skeleton, stages, overrideRoles, drafts, now, assist],
  );
  checkArgs('MemoryHub', ['hub.name:string'], [hub.name]);
  plainData(hub, 'hub');
  templates.forEach((t: Partial<Template> | null, i) => {
    checkArgs('MemoryHub', [`templates[${i}]:object`], [t]);
    checkArgs(
      'MemoryHub',
      [`templates[${i}].id:string`, `templates[${i}].version:number`, `templates[${i}].name:string`],
      [t?.id, t?.version, t?.name],
    );
    plainData(t, `templates[${i}]`);
  });
  viewers.forEach((v: Partial<Viewer> | null, i) => {
    checkArgs('MemoryHub', [`viewers[${i}]:object`], [v]);
    checkArgs(
      'MemoryHub',
      [
        `viewers[${i}].id:string`,
        `viewers[${i}].name:string`,
        `viewers[${i}].roles:array`,
        `viewers[${i}].regions:array`,
        `viewers[${i}].reviewer:boolean`,
      ],
      [v?.id, v?.name, v?.roles, v?.regions, v?.reviewer],
    );
    strings(v?.roles ?? [], `viewers[${i}].roles`);
    strings(v?.regions ?? [], `viewers[${i}].regions`);
    plainData(v, `viewers[${i}]`);
  });
  stages?.forEach((st: Partial<MemoryStage> | null, i) => {
    checkArgs('MemoryHub', [`stages[${i}]:object`], [st]);
    checkArgs(
      'MemoryHub',
      [
        `stages[${i}].id:string`,
        `stages[${i}].name:string`,
        `stages[${i}].reviewers:array`,
        `stages[${i}].dueInHours:number?`,
        `stages[${i}].escalateTo:string?`,
      ],
      [st?.id, st?.name, st?.reviewers, st?.dueInHours, st?.escalateTo],
    );
    strings(st?.reviewers ?? [], `stages[${i}].reviewers`);
    if (st?.dueInHours !== undefined && !(Math.abs(st.dueInHours) <= MAX_DUE_HOURS))
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid stages[${i}].dueInHours: expected at most ${MAX_DUE_HOURS} hours (a due date a Date can hold)`,
        { path: `stages[${i}].dueInHours` },
      );
  });
  strings(overrideRoles ?? [], 'overrideRoles');
  // Each draft as a save would take it (the copy kept is the draft given, as before).
  drafts?.forEach((d, i) => parse(DraftSchema, d, `drafts[${i}]`));
  if (assist !== undefined)
    checkArgs(
      'MemoryHub',
      ['assist.subjectVariants:function?', 'assist.altText:function?', 'assist.translate:function?'],
      ['subjectVariants', 'altText', 'translate'].map((name) => (assist as Record<string, unknown>)[name]),
    );
}

/**
 * An in-memory hub for tests and for embedding the editor without a server: drafts with
 * optimistic concurrency, the server's lock check (a save that changes a locked slot is
 * `E_LOCKED`), and a small review flow (stages in order, decisions, anchored comments, rounds).
 * `as(viewerId)` gives each person their own `EditorDataSource` over the same hub.
 */
export class MemoryHub {
  readonly #drafts = new Map<string, StoredDraft>();
  readonly #submissions = new Map<string, StoredSubmission>();
  readonly #listeners = new Set<(event: SourceEvent) => void>();
  readonly #now: () => Date;
  #counter = 0;

  readonly #options: MemoryHubOptions;

  constructor(options: MemoryHubOptions) {
    checkOptions(options);
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    for (const draft of options.drafts ?? [])
      this.#drafts.set(draft.id, { draft: clone(draft), version: 1, status: 'draft' });
  }

  /** Today, from the `now` option (a clock that gives anything but a valid Date is refused). */
  #today(): Date {
    const now: unknown = this.#now();
    if (!(now instanceof Date) || Number.isNaN(now.getTime()))
      throw new HubspokeError('E_VALIDATION', `Invalid now: expected a function returning a valid Date`, {
        path: 'now',
      });
    return now;
  }

  #template(id: string, version: number): Template {
    const t = this.#options.templates.find((x) => x.id === id && x.version === version);
    if (!t)
      throw new HubspokeError('E_NOT_FOUND', `template "${id}" version ${version} does not exist`, {
        path: 'template',
      });
    return t;
  }

  #stored(id: string): StoredDraft {
    const d = this.#drafts.get(id);
    if (!d) throw new HubspokeError('E_NOT_FOUND', `draft "${id}" does not exist`, { path: 'draftId' });
    return d;
  }

  #record(d: StoredDraft): DraftRecord {
    return {
      draft: clone(d.draft),
      etag: `"${d.draft.id}-${d.version}"`,
      status: d.status,
      ...(d.submissionId === undefined ? {} : { submissionId: d.submissionId }),
    };
  }

  #viewer(id: string): Viewer {
    const v = this.#options.viewers.find((x) => x.id === id);
    if (!v) throw new HubspokeError('E_AUTH', `unknown viewer "${id}"`);
    return v;
  }

  #notify(event: SourceEvent): void {
    for (const l of this.#listeners) l(event);
  }

  #stages(): MemoryStage[] {
    return (
      this.#options.stages ?? [
        {
          id: 'brand',
          name: 'Brand review',
          reviewers: this.#options.viewers.filter((v) => v.reviewer).map((v) => v.id),
        },
      ]
    );
  }

  #submissionFor(viewer: Viewer, id: string): SubmissionView {
    const s = this.#submissions.get(id);
    if (!s) throw new HubspokeError('E_NOT_FOUND', `submission "${id}" does not exist`, { path: 'submissionId' });
    const view = clone(s.view);
    const active = view.stages.find((st) => st.status === 'active');
    const mayDecide =
      view.status === 'inReview' &&
      active !== undefined &&
      active.assignees.includes(viewer.id) &&
      view.submitter !== viewer.id &&
      active.decisions[viewer.id] === undefined;
    const decisions: Decision[] = ['approved', 'changesRequired', 'rejected'];
    return {
      ...view,
      allowedDecisions: mayDecide ? decisions : [],
      canOverride: mayDecide && viewer.roles.some((r) => (this.#options.overrideRoles ?? []).includes(r)),
    };
  }

  /** The data source for one person. */
  as(viewerId: string): EditorDataSource {
    const viewer = this.#viewer(viewerId);
    const assist = this.#options.assist;
    const source: EditorDataSource = {
      viewer: async () => clone(viewer),
      hub: async () => clone(this.#options.hub),
      templates: async () =>
        this.#options.templates.map((t) => ({
          id: t.id,
          version: t.version,
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
          tags: t.tags,
        })),
      template: async (id, version) => clone(this.#template(id, version)),
      skeleton: (request) => {
        checkArgs(
          SOURCE + '.skeleton',
          ['request.draft:object', 'request.locale:string', 'request.annotate:boolean', 'request.key:string?'],
          [request.draft, request.locale, request.annotate, request.key],
        );
        return this.#options.skeleton({ ...request, draft: parse(DraftSchema, request.draft, 'request.draft') });
      },
      drafts: async () =>
        [...this.#drafts.values()]
          .filter((d) => d.draft.author === viewer.id)
          .map((d) => ({
            id: d.draft.id,
            name: d.draft.name,
            templateName: this.#template(d.draft.template.id, d.draft.template.version).name,
            status: d.status,
            locales: Object.keys(d.draft.content),
            ...(d.draft.updatedAt === undefined ? {} : { updatedAt: d.draft.updatedAt }),
          })),
      createDraft: async (input) => {
        checkArgs(
          SOURCE + '.createDraft',
          ['input.templateId:string', 'input.name:string'],
          [input.templateId, input.name],
        );
        const { templateId, name } = input;
        const template = this.#options.templates
          .filter((t) => t.id === templateId)
          .sort((a, b) => b.version - a.version)[0];
        if (!template)
          throw new HubspokeError('E_NOT_FOUND', `template "${templateId}" does not exist`, { path: 'templateId' });
        this.#counter += 1;
        const draft = createDraft(template, { id: `draft-${this.#counter}`, name, author: viewer.id });
        const region = viewer.regions[0];
        const stored: StoredDraft = {
          draft: { ...draft, ...(region === undefined ? {} : { region }), updatedAt: this.#today().toISOString() },
          version: 1,
          status: 'draft',
        };
        this.#drafts.set(draft.id, stored);
        return this.#record(stored);
      },
      draft: async (id) => this.#record(this.#stored(id)),
      saveDraft: async (input, etag) => {
        const draft = parse(DraftSchema, input, 'draft');
        const stored = this.#stored(draft.id);
        if (stored.draft.author !== viewer.id) throw new HubspokeError('E_FORBIDDEN', 'only the author edits a draft');
        if (stored.status !== 'draft' && stored.status !== 'returned')
          throw new HubspokeError('E_CONFLICT', `draft "${draft.id}" is ${stored.status} and cannot change`);
        if (etag !== this.#record(stored).etag)
          throw new HubspokeError('E_CONFLICT', 'the draft changed since it was loaded: reload it', {
            path: 'etag',
            details: { reason: 'stale' },
          });
        const template = this.#template(draft.template.id, draft.template.version);
        const locked = validateDraft(template, draft).find((d) => d.ruleId.startsWith('template/locked-'));
        if (locked)
          throw new HubspokeError('E_LOCKED', locked.message, {
            path: [locked.location.instanceId, locked.location.slotId].filter(Boolean).join('.'),
          });
        stored.draft = { ...draft, author: stored.draft.author, updatedAt: this.#today().toISOString() };
        stored.version += 1;
        this.#notify({ type: 'draft', draftId: draft.id });
        return this.#record(stored);
      },
      newVersion: async (draftId, etag) => {
        const stored = this.#stored(draftId);
        if (etag !== undefined && etag !== this.#record(stored).etag)
          throw new HubspokeError('E_CONFLICT', 'the draft changed since it was loaded: reload it', {
            path: 'etag',
            details: { reason: 'stale' },
          });
        if (stored.status !== 'approved')
          throw new HubspokeError('E_CONFLICT', 'only an approved draft gets a new version');
        stored.draft = { ...stored.draft, version: stored.draft.version + 1 };
        stored.version += 1;
        stored.status = 'draft';
        delete stored.submissionId;
        return this.#record(stored);
      },
      submit: async (draftId) => {
        const stored = this.#stored(draftId);
        if (stored.draft.author !== viewer.id) throw new HubspokeError('E_FORBIDDEN', 'only the author submits');
        if (stored.status === 'inReview' || stored.status === 'approved')
          throw new HubspokeError('E_CONFLICT', `draft "${draftId}" is already ${stored.status}`);
        const template = this.#template(stored.draft.template.id, stored.draft.template.version);
        const errors = validateDraft(template, stored.draft).filter((d) => d.severity === 'error');
        const at = this.#today().toISOString();
        const stages = (): StageView[] =>
          this.#stages().map((st, i) => ({
            id: st.id,
            name: st.name,
            status: i === 0 ? 'active' : 'pending',
            assignees: st.reviewers,
            decisions: {},
            ...(i === 0 && st.dueInHours !== undefined
              ? { dueAt: new Date(this.#today().getTime() + st.dueInHours * 3_600_000).toISOString() }
              : {}),
          }));
        const existing = stored.submissionId === undefined ? undefined : this.#submissions.get(stored.submissionId);
        if (existing) {
          const view = existing.view;
          view.status = 'inReview';
          view.round += 1;
          view.stages = stages();
          view.rounds.push({ round: view.round, draft: clone(stored.draft) });
          view.lint = { errors: errors.length, warnings: 0 };
          view.updatedAt = at;
        } else {
          this.#counter += 1;
          const id = `sub-${this.#counter}`;
          stored.submissionId = id;
          this.#submissions.set(id, {
            view: {
              id,
              draftId,
              title: stored.draft.name,
              submitter: viewer.id,
              status: 'inReview',
              round: 1,
              stages: stages(),
              comments: [],
              lint: { errors: errors.length, warnings: 0 },
              rounds: [{ round: 1, draft: clone(stored.draft) }],
              createdAt: at,
              updatedAt: at,
            },
          });
        }
        stored.status = 'inReview';
        const submissionId = stored.submissionId ?? '';
        this.#notify({ type: 'submission', submissionId, draftId });
        return this.#submissionFor(viewer, submissionId);
      },
      submission: async (id) => this.#submissionFor(viewer, id),
      inbox: async () => {
        const items: InboxItem[] = [];
        const now = this.#today().getTime();
        for (const { view } of this.#submissions.values()) {
          const stage = view.stages.find((s) => s.status === 'active');
          if (view.status !== 'inReview' || !stage?.assignees.includes(viewer.id) || stage.decisions[viewer.id])
            continue;
          const def = this.#stages().find((s) => s.id === stage.id);
          const overdue = stage.dueAt !== undefined && Date.parse(stage.dueAt) < now;
          items.push({
            submissionId: view.id,
            draftId: view.draftId,
            title: view.title,
            submitter: view.submitter,
            stage: stage.name,
            round: view.round,
            ...(stage.dueAt === undefined ? {} : { dueAt: stage.dueAt }),
            escalated: overdue && def?.escalateTo !== undefined,
          });
        }
        return items.sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff'));
      },
      decide: async (submissionId, input: DecisionInput) => {
        checkArgs(
          SOURCE + '.decide',
          ['input.decision:string', 'input.reason:string?', 'input.override:boolean?'],
          [input.decision, input.reason, input.override],
        );
        const current = this.#submissionFor(viewer, submissionId);
        if (!current.allowedDecisions.includes(input.decision))
          throw new HubspokeError(
            'E_FORBIDDEN',
            `${viewer.name} cannot decide "${input.decision}" on this submission now`,
          );
        if (input.override === true && (!current.canOverride || (input.reason ?? '').trim() === ''))
          throw new HubspokeError('E_FORBIDDEN', 'an override needs a permitted role and a reason');
        if (input.decision === 'approved' && current.lint.errors > 0 && input.override !== true)
          throw new HubspokeError(
            'E_VALIDATION',
            'the draft has error findings: approve with an override and a reason',
          );
        const { view } = this.#submissions.get(submissionId) ?? { view: undefined };
        if (!view) throw new HubspokeError('E_NOT_FOUND', `submission "${submissionId}" does not exist`);
        const at = this.#today().toISOString();
        const index = view.stages.findIndex((s) => s.status === 'active');
        const stage = view.stages[index];
        if (!stage) throw new HubspokeError('E_CONFLICT', 'no stage is waiting for a decision');
        stage.decisions[viewer.id] = {
          decision: input.decision,
          at,
          ...(input.reason === undefined ? {} : { reason: input.reason }),
        };
        if (input.override === true) view.override = { by: viewer.id, at, reason: input.reason ?? '' };
        const stored = this.#stored(view.draftId);
        if (input.decision === 'approved') {
          stage.status = 'complete';
          stage.result = 'approved';
          const next = view.stages[index + 1];
          if (next) {
            next.status = 'active';
            const dueIn = this.#stages()[index + 1]?.dueInHours;
            if (dueIn !== undefined) next.dueAt = new Date(this.#today().getTime() + dueIn * 3_600_000).toISOString();
          } else {
            view.status = 'approved';
            stored.status = 'approved';
          }
        } else {
          stage.status = 'complete';
          stage.result = input.decision;
          view.status = input.decision === 'rejected' ? 'rejected' : 'returned';
          stored.status = input.decision === 'rejected' ? 'rejected' : 'returned';
        }
        view.updatedAt = at;
        this.#notify({ type: 'submission', submissionId, draftId: view.draftId });
        return this.#submissionFor(viewer, submissionId);
      },
      comment: async (submissionId, input: CommentInput) => {
        checkArgs(
          SOURCE + '.comment',
          ['input.text:string', 'input.anchor:object?', 'input.parentId:string?'],
          [input.text, input.anchor, input.parentId],
        );
        const anchor = input.anchor;
        if (anchor !== undefined)
          checkArgs(
            SOURCE + '.comment',
            ['input.anchor.instanceId:string', 'input.anchor.slotId:string?', 'input.anchor.locale:string?'],
            [anchor.instanceId, anchor.slotId, anchor.locale],
          );
        const { view } = this.#submissions.get(submissionId) ?? { view: undefined };
        if (!view) throw new HubspokeError('E_NOT_FOUND', `submission "${submissionId}" does not exist`);
        if (input.text.trim() === '')
          throw new HubspokeError('E_VALIDATION', 'text: expected a comment', { path: 'text' });
        const comment: ReviewComment = {
          id: `c-${view.comments.length + 1}`,
          author: viewer.id,
          at: this.#today().toISOString(),
          text: input.text,
          resolved: false,
          outdated: false,
          round: view.round,
          ...(anchor === undefined
            ? {}
            : {
                anchor: {
                  instanceId: anchor.instanceId,
                  ...(anchor.slotId === undefined ? {} : { slotId: anchor.slotId }),
                  ...(anchor.locale === undefined ? {} : { locale: anchor.locale }),
                },
              }),
          ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
        };
        view.comments.push(comment);
        this.#notify({ type: 'submission', submissionId, draftId: view.draftId });
        return this.#submissionFor(viewer, submissionId);
      },
      resolveComment: async (submissionId, commentId, resolved) => {
        const { view } = this.#submissions.get(submissionId) ?? { view: undefined };
        const comment = view?.comments.find((c) => c.id === commentId);
        if (!view || !comment) throw new HubspokeError('E_NOT_FOUND', `comment "${commentId}" does not exist`);
        comment.resolved = resolved;
        this.#notify({ type: 'submission', submissionId, draftId: view.draftId });
        return this.#submissionFor(viewer, submissionId);
      },
      push: async (draftId): Promise<PushResult> => {
        const stored = this.#stored(draftId);
        if (stored.status !== 'approved') throw new HubspokeError('E_CONFLICT', 'only an approved draft is pushed');
        return { connector: 'memory', remoteId: `${draftId}@${stored.draft.version}` };
      },
      subscribe: (listener) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
    };
    // The hub server checks what the assistant is given: so does the in-memory hub.
    const subjectVariants = assist?.subjectVariants?.bind(assist);
    if (subjectVariants)
      source.subjectVariants = async (draft, locale) => subjectVariants(parse(DraftSchema, draft, 'draft'), locale);
    const altText = assist?.altText?.bind(assist);
    if (altText)
      source.altText = async (image, locale) => {
        checkArgs(SOURCE + '.altText', ['image.src:string', 'image.assetId:string?'], [image.src, image.assetId]);
        return altText(image, locale);
      };
    const translate = assist?.translate?.bind(assist);
    if (translate)
      source.translate = async (draft, from, to) => translate(parse(DraftSchema, draft, 'draft'), from, to);
    // A page passes what its handlers get (or another script's values): a wrong argument is a
    // HubspokeError, never a raw TypeError, whichever source the page was given.
    guardMethods(
      SOURCE,
      source,
      Object.fromEntries(
        Object.entries(SOURCE_ARGS).filter(([name]) => typeof source[name as keyof EditorDataSource] === 'function'),
      ),
      { sync: ['subscribe'] },
    );
    return source;
  }
}

// `as` takes a viewer id (a name: bounded); the source it gives checks its own arguments.
guardMethods('MemoryHub', MemoryHub.prototype, { as: ['viewerId:string'] }, { sync: ['as'] });
