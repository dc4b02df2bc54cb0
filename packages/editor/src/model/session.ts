import {
  checkArgs,
  guardMethods,
  HubspokeError,
  isHubspokeError,
  type Diagnostic,
  type Draft,
  type Fix,
  type ModuleInstance,
  type RenderedEmail,
  type SlotValue,
  type Template,
} from '@hubspoke/core';
import {
  createRenderSession,
  remoteSkeletons,
  render,
  type RenderSession,
  type SkeletonSource,
} from '@hubspoke/template-engine/fill';
import type {
  DraftActions,
  DraftRecord,
  EditorDataSource,
  HubInfo,
  PushResult,
  SubmissionView,
  Viewer,
} from '../source/types.js';
import { Composition, moved, newInstanceId, type Allowed } from './compose.js';
import { ENGINE_RULES } from './rule-docs.js';
import { pageLinter, type AsyncLinter, type LinterFactory, type LinterInfo } from './worker-linter.js';
import { applyFix, withField, withSlot } from './values.js';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'error';

/** After the next frame is produced (in a page); at once elsewhere. */
function nextFrame(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      setTimeout(resolve);
    }),
  );
}

export interface DraftSessionOptions {
  /** Today, for asset expiry (tests pin it). */
  now?: () => Date;
  /** Quiet time after the last edit before saving (default 600 ms). */
  autosaveMs?: number;
  /** Where the linter runs: `pageLinter` (default) or `workerLinter(() => new Worker(…))`, off the main thread. */
  linter?: LinterFactory;
  /**
   * `open` resolves once the preview is rendered, without waiting for the linter to start or for
   * the opening lint, so a page draws the editor while the linter (a worker) works; the preview
   * renders again when the brand's dark scheme arrives from the linter, and `firstLint` settles
   * when the opening findings are in. Default false: `open` resolves with the dark render and the
   * findings.
   */
  lintInBackground?: boolean;
}

/** What changed, for listeners that redraw only part of the page. */
export interface ChangeDetail {
  kind: 'render' | 'lint' | 'save' | 'status' | 'structure' | 'locale';
  /** With `render` after a one-slot edit: the slot (`instance/slot`), so a preview can patch only it. */
  slot?: string;
}

/**
 * One draft open for editing: the source of truth for the editor's controls. Every edit updates
 * the draft, re-fills the preview's skeleton (mjml only for structural edits, on the server),
 * re-lints the edited locale, and saves after a quiet moment with optimistic concurrency.
 * Dispatches `change` events (`detail: ChangeDetail`).
 */
export class DraftSession extends EventTarget {
  readonly composition: Composition;
  draft: Draft;
  etag: string;
  status: DraftRecord['status'];
  submission: SubmissionView | undefined;
  locale: string;
  contactId: string | undefined;
  email: RenderedEmail | undefined;
  diagnostics: Diagnostic[] = [];
  /** Settles when the findings of opening are in (at once unless opened with `lintInBackground`). */
  firstLint: Promise<void> = Promise.resolve();
  saveState: SaveState = 'saved';
  /** The last failure to show (save refused, skeleton unavailable…). */
  error: string | undefined;
  /**
   * Someone else saved the draft since it was loaded (a stale save): nothing typed here is lost;
   * `keepMine()` saves this version over theirs, `takeTheirs()` discards the local changes.
   */
  conflict: { message: string } | undefined;
  /** What the viewer may do with the draft (push, new version), as the source says; undefined: all it offers. */
  actions: DraftActions | undefined;
  /** The last push of this version. */
  pushed: PushResult | undefined;

  private readonly skeletons: SkeletonSource;
  private readonly linter: AsyncLinter;
  private renderer: RenderSession | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> | undefined;
  readonly now: () => Date;
  private readonly autosaveMs: number;
  /** Edits are applied in order, each after the previous render finished. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Counts edits, so a lint scheduled for an older edit is skipped. */
  private edits = 0;
  /** The edit whose findings are shown (findings of an older one arriving late are dropped). */
  private linted = 0;
  private fullLint: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly source: EditorDataSource,
    readonly template: Template,
    readonly hub: HubInfo,
    readonly viewer: Viewer,
    record: DraftRecord,
    options: DraftSessionOptions,
  ) {
    super();
    // Use DraftSession.open: the constructor is not API, but a direct call gets an error, not a crash.
    checkArgs(
      'DraftSession',
      ['source:object', 'template:object', 'hub:object', 'viewer:object', 'record:object', 'options:object'],
      [source, template, hub, viewer, record, options],
    );
    if (
      typeof (record.draft as Draft | null | undefined)?.defaultLocale !== 'string' ||
      !Array.isArray(hub.sampleContacts)
    )
      throw new HubspokeError('E_VALIDATION', 'Invalid record: expected a draft record and the hub settings', {
        path: 'record',
      });
    this.draft = record.draft;
    this.etag = record.etag;
    this.status = record.status;
    this.locale = record.draft.defaultLocale;
    this.contactId = hub.sampleContacts[0]?.id;
    this.now = options.now ?? (() => new Date());
    this.autosaveMs = options.autosaveMs ?? 600;
    this.composition = new Composition(template);
    this.skeletons = remoteSkeletons((request) => source.skeleton(request));
    this.linter = (options.linter ?? pageLinter)(template, hub, this.now);
  }

  /** Loads a draft with its template and the hub's settings, renders every locale and lints. */
  static async open(
    source: EditorDataSource,
    draftId: string,
    options: DraftSessionOptions = {},
  ): Promise<DraftSession> {
    checkArgs('DraftSession.open', ['source:object', 'draftId:string', 'options:object?'], [source, draftId, options]);
    for (const method of ['draft', 'hub', 'viewer', 'template', 'submission'] as const)
      if (typeof (source as unknown as Record<string, unknown>)[method] !== 'function')
        throw new HubspokeError('E_VALIDATION', `Invalid source.${method}: expected an EditorDataSource`, {
          path: `source.${method}`,
        });
    const [record, hub, viewer] = await Promise.all([source.draft(draftId), source.hub(), source.viewer()]);
    const ref = (record as { draft?: { template?: unknown } } | null | undefined)?.draft?.template;
    if (typeof ref !== 'object' || ref === null)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid source.draft(): expected a draft record for ${draftId.slice(0, 200)}`,
        {
          path: 'record',
        },
      );
    const template = await source.template(record.draft.template.id, record.draft.template.version);
    const session = new DraftSession(source, template, hub, viewer, record, options);
    if (record.submissionId !== undefined) session.submission = await source.submission(record.submissionId);
    // The first render does not wait for the linter to start (a worker loads the brand rules);
    // when its dark scheme arrives and the kit has one, the preview renders again with it. The
    // opening lint reads that render (the dark rules are part of the HTML the hub lints).
    const info = session.loadInfo();
    await session.loadActions();
    await session.restart();
    const darkThenLint = async () => {
      await info;
      // Not again when the first render already had it (a worker started early answers quickly).
      if ('darkMode' in session.darkMode() && session.renderedInfo !== session.info)
        await session.enqueue(() => session.restart());
      await session.lintAll();
    };
    if (options.lintInBackground !== true) await darkThenLint();
    // In the background the page draws the editor meanwhile: on a cold start the worker is still
    // loading the brand rules when the first render is done (0.7-1.2 s on the loaded 2-core machine).
    else
      session.firstLint = darkThenLint().catch((error: unknown) => {
        session.fail(error); // shown in the editor's banner, as a failed keystroke lint is
      });
    return session;
  }

  /** Asks the source what the viewer may do with this draft (only approved drafts offer push or a new version). */
  private async loadActions(): Promise<void> {
    if (this.status !== 'approved' || this.source.actions === undefined) return;
    try {
      this.actions = await this.source.actions(this.draft.id);
    } catch {
      this.actions = undefined; // the buttons stay; the server still decides
    }
  }

  /** May the viewer push this draft now (approved, and the source pushes)? */
  get canPush(): boolean {
    return this.status === 'approved' && this.source.push !== undefined && this.actions?.push !== false;
  }

  /** May the viewer start a new version now? */
  get canStartNewVersion(): boolean {
    return this.status === 'approved' && this.source.newVersion !== undefined && this.actions?.newVersion !== false;
  }

  get readOnly(): boolean {
    return this.status !== 'draft' && this.status !== 'returned';
  }

  get locales(): string[] {
    return Object.keys(this.draft.content);
  }

  private emit(kind: ChangeDetail['kind'], slot?: string): void {
    this.dispatchEvent(
      new CustomEvent<ChangeDetail>('change', { detail: { kind, ...(slot === undefined ? {} : { slot }) } }),
    );
  }

  private fail(error: unknown): void {
    this.error = isHubspokeError(error) || error instanceof Error ? error.message : String(error);
    this.emit('status');
  }

  private renderOptions() {
    const contact = this.hub.sampleContacts.find((c) => c.id === this.contactId);
    return {
      locale: this.locale,
      dialect: 'preview' as const,
      annotate: true,
      cache: this.skeletons,
      ...this.darkMode(),
      ...(contact === undefined ? {} : { sampleContact: contact }),
    };
  }

  /** The dark scheme and the rules' explanations, from the linter (the page never loads the brand rules). */
  private info: LinterInfo | undefined;
  /** The info the current render was made with (its dark scheme). */
  private renderedInfo: LinterInfo | undefined;

  private async loadInfo(): Promise<void> {
    try {
      this.info = await this.linter.info?.();
    } catch {
      this.info = undefined; // the linter failed to start: linting reports it
    }
  }

  /** The brand's dark scheme as a render option, as the hub renders it (nothing when the kit has none). */
  private darkMode() {
    const palette = this.info?.darkPalette ?? [];
    return palette.length === 0 ? {} : { darkMode: palette };
  }

  /** Why a rule exists, for its findings: the brand rule's description, else the template engine's. */
  explain(ruleId: string): string | undefined {
    return this.info?.explanations[ruleId] ?? ENGINE_RULES[ruleId];
  }

  /** A fresh render session for the active locale and contact. */
  private async restart(): Promise<void> {
    const info = this.info;
    this.renderer = await createRenderSession(this.template, this.draft, this.renderOptions());
    this.renderedInfo = info;
    this.email = this.renderer.email;
    this.emit('render');
  }

  /** Runs edits one after another, so a fast typist's keystrokes render in order. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private guard(): void {
    if (this.readOnly)
      throw new HubspokeError(
        'E_FORBIDDEN',
        this.status === 'approved'
          ? 'This draft is approved and read-only: start a new version to change it'
          : 'This draft is in review and read-only until the reviewers decide',
      );
  }

  /** Sets (or clears, with `undefined`) a slot value; `locale` defaults to the active one. */
  setSlot(instanceId: string, slotId: string, value: SlotValue | undefined, locale = this.locale): Promise<void> {
    return this.enqueue(async () => {
      this.guard();
      this.draft = withSlot(this.draft, locale, instanceId, slotId, value);
      return this.afterEdit(
        locale,
        async (r) => {
          await r.setSlot(instanceId, slotId, value, locale);
        },
        `${instanceId}/${slotId}`,
      );
    }).then((edit) => edit.linted);
  }

  setField(field: 'subject' | 'preheader', value: string | undefined, locale = this.locale): Promise<void> {
    return this.enqueue(async () => {
      this.guard();
      this.draft = withField(this.draft, locale, field, value);
      return this.afterEdit(locale, async (r) => {
        await r.setField(field, value, locale);
      });
    }).then((edit) => edit.linted);
  }

  /**
   * After the draft changed: update the preview (a quick edit in the active locale re-fills
   * holes; anything else reloads the render session's draft), lint, schedule a save. The next
   * edit does not wait for the lint (`linted`, for callers that do): a keystroke's render never
   * queues behind the previous keystroke's round trip to the lint worker.
   */
  private async afterEdit(
    locale?: string,
    quick?: (r: RenderSession) => Promise<void>,
    slot?: string,
  ): Promise<{ linted: Promise<void> }> {
    let linted = Promise.resolve();
    try {
      const renderer = this.renderer;
      const filled = renderer !== undefined && quick !== undefined && locale === this.locale;
      if (renderer && filled) await quick(renderer);
      else if (renderer) await renderer.setDraft(this.draft);
      else await this.restart();
      this.email = this.renderer?.email;
      this.emit('render', filled ? slot : undefined);
      linted = this.lintActive().catch((error: unknown) => {
        this.fail(error);
      });
    } catch (error) {
      this.fail(error);
    }
    this.scheduleSave();
    return { linted };
  }

  /**
   * Lints the edited locale: a linter on another thread (a worker) at once, as the preview is
   * patched (posting the draft costs the page a fraction of a millisecond, and the findings come
   * back about one frame sooner); a linter on the main thread once the preview's frame is out
   * (the keystroke's frame never waits for it), skipping edits that a newer one replaced. The
   * HTML-level rules follow after a pause in typing.
   */
  private async lintActive(): Promise<void> {
    const edit = (this.edits += 1);
    if (this.linter.offThread !== true) {
      await nextFrame();
      if (edit !== this.edits) return;
    }
    const diagnostics = await this.linter.lint(this.draft, this.email ? [this.email] : [], true);
    // Newer than what is shown: shown, even if a keystroke came in meanwhile (its own lint follows).
    if (edit < this.linted) return;
    this.linted = edit;
    this.diagnostics = diagnostics;
    this.emit('lint');
    clearTimeout(this.fullLint);
    this.fullLint = setTimeout(() => {
      if (edit === this.edits)
        void this.lintAll(edit).catch((error: unknown) => {
          this.fail(error);
        });
    }, 400);
  }

  /**
   * Renders and lints every locale (on open, after structural edits, before submitting); with
   * `edit`, the result is dropped when a newer edit came in meanwhile.
   */
  async lintAll(edit?: number): Promise<void> {
    const contact = this.hub.sampleContacts.find((c) => c.id === this.contactId);
    const emails = await Promise.all(
      this.locales.map((locale) =>
        locale === this.locale && this.email
          ? Promise.resolve(this.email)
          : render(this.template, this.draft, {
              locale,
              annotate: true,
              cache: this.skeletons,
              ...this.darkMode(),
              ...(contact === undefined ? {} : { sampleContact: contact }),
            }),
      ),
    );
    const current = this.edits;
    const diagnostics = await this.linter.lint(this.draft, emails, false);
    if ((edit !== undefined && edit !== this.edits) || current < this.linted) return;
    this.linted = current;
    this.diagnostics = diagnostics;
    this.emit('lint');
  }

  // Composition

  private setModules(modules: ModuleInstance[]): Promise<void> {
    return this.enqueue(async () => {
      this.guard();
      this.draft = { ...this.draft, modules };
      try {
        await this.renderer?.setDraft(this.draft);
        this.email = this.renderer?.email;
        this.emit('structure');
        this.emit('render');
        await this.lintAll();
      } catch (error) {
        this.fail(error);
      }
      this.scheduleSave();
    });
  }

  canAdd(moduleId: string): Allowed {
    return this.readOnly ? { ok: false, reason: 'Read-only' } : this.composition.canAdd(this.draft.modules, moduleId);
  }

  /** Adds an instance where the template allows it; returns its instance id. */
  async addModule(moduleId: string): Promise<string> {
    const list = this.draft.modules;
    const allowed = this.composition.canAdd(list, moduleId);
    if (!allowed.ok) throw new HubspokeError('E_VALIDATION', allowed.reason ?? 'not allowed');
    const instanceId = newInstanceId(list, moduleId);
    const at = this.composition.insertionIndex(list, moduleId);
    await this.setModules([...list.slice(0, at), { instanceId, moduleId, hidden: false }, ...list.slice(at)]);
    return instanceId;
  }

  async removeModule(instanceId: string): Promise<void> {
    const allowed = this.composition.canRemove(this.draft.modules, instanceId);
    if (!allowed.ok) throw new HubspokeError('E_VALIDATION', allowed.reason ?? 'not allowed');
    await this.setModules(this.draft.modules.filter((m) => m.instanceId !== instanceId));
    // Its content goes with it, in every locale.
    this.draft = {
      ...this.draft,
      content: Object.fromEntries(
        Object.entries(this.draft.content).map(([locale, c]) => {
          const { [instanceId]: _gone, ...slots } = c.slots;
          return [locale, { ...c, slots }];
        }),
      ),
    };
    this.scheduleSave();
  }

  async setHidden(instanceId: string, hidden: boolean): Promise<void> {
    const allowed = this.composition.canHide(this.draft.modules, instanceId);
    if (!allowed.ok) throw new HubspokeError('E_VALIDATION', allowed.reason ?? 'not allowed');
    await this.setModules(this.draft.modules.map((m) => (m.instanceId === instanceId ? { ...m, hidden } : m)));
  }

  async move(instanceId: string, to: number): Promise<void> {
    const list = this.draft.modules;
    if (!this.composition.canMove(list, instanceId, to))
      throw new HubspokeError('E_VALIDATION', 'The template does not allow this position');
    await this.setModules(
      moved(
        list,
        list.findIndex((m) => m.instanceId === instanceId),
        to,
      ),
    );
  }

  // Locales, contacts

  async setLocale(locale: string): Promise<void> {
    await this.enqueue(async () => {
      this.locale = locale;
      await this.restart();
      this.emit('locale');
    });
  }

  async addLocale(locale: string): Promise<void> {
    await this.enqueue(async () => {
      this.guard();
      if (this.draft.content[locale] === undefined)
        this.draft = { ...this.draft, content: { ...this.draft.content, [locale]: { slots: {} } } };
      this.locale = locale;
      await this.restart();
      this.emit('locale');
    });
    await this.lintAll();
    this.scheduleSave();
  }

  async setContact(id: string | undefined): Promise<void> {
    await this.enqueue(async () => {
      this.contactId = id;
      await this.restart();
    });
  }

  // Fixes, assistance

  /** Applies a finding's safe fix (or one of its suggestions). */
  async applyFix(diagnostic: Diagnostic, fix: Fix | undefined = diagnostic.fix): Promise<boolean> {
    if (!fix) return false;
    this.guard();
    const next = applyFix(this.template, this.draft, diagnostic.location, fix);
    if (!next) return false;
    await this.enqueue(async () => {
      this.draft = next;
      await this.afterEdit();
    });
    await this.lintAll();
    return true;
  }

  /** Applies a translation's content to a locale (after the spoke saw its findings). */
  async applyContent(locale: string, content: Draft['content'][string]): Promise<void> {
    await this.enqueue(async () => {
      this.guard();
      this.draft = { ...this.draft, content: { ...this.draft.content, [locale]: content } };
      await this.afterEdit();
    });
    await this.lintAll();
  }

  // Saving and review

  private scheduleSave(): void {
    if (this.readOnly) return;
    this.saveState = 'unsaved';
    this.emit('save');
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save().catch(() => undefined), this.autosaveMs);
  }

  /** Saves now (waits for a save in flight first). */
  async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    await this.queue;
    await this.saving;
    if (this.saveState === 'saved' || this.readOnly) return;
    const draft = this.draft;
    this.saveState = 'saving';
    this.emit('save');
    this.saving = (async () => {
      try {
        const record = await this.source.saveDraft(draft, this.etag);
        this.etag = record.etag;
        this.saveState = this.draft === draft ? 'saved' : 'unsaved';
        if (this.error !== undefined) this.error = undefined;
      } catch (error) {
        this.saveState = 'error';
        if (isHubspokeError(error, 'E_CONFLICT') && error.details.reason === 'stale') {
          this.conflict = { message: error.message };
          this.emit('status');
          return;
        }
        this.fail(error);
        throw error;
      } finally {
        this.saving = undefined;
        this.emit('save');
      }
    })();
    await this.saving;
    if ((this.saveState as SaveState) === 'unsaved') await this.save();
  }

  /** Resolves a conflict by saving this version over the one saved elsewhere. */
  async keepMine(): Promise<void> {
    const current = await this.source.draft(this.draft.id);
    this.etag = current.etag;
    this.conflict = undefined;
    this.saveState = 'unsaved';
    this.emit('save');
    await this.save();
  }

  /** Resolves a conflict by taking the version saved elsewhere (local changes are dropped). */
  async takeTheirs(): Promise<void> {
    this.conflict = undefined;
    this.saveState = 'saved';
    await this.reload();
  }

  /** Why the draft cannot be submitted now, or ok. */
  canSubmit(): Allowed {
    if (this.status === 'inReview') return { ok: false, reason: 'Already in review' };
    if (this.status === 'approved') return { ok: false, reason: 'Approved: start a new version to change it' };
    if (this.status === 'rejected') return { ok: false, reason: 'Rejected' };
    if (this.conflict !== undefined) return { ok: false, reason: 'Resolve the conflicting save first' };
    const errors = this.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0)
      return {
        ok: false,
        reason: `${errors.length} error${errors.length === 1 ? '' : 's'} to fix first: ${errors[0]?.message ?? ''}`,
      };
    const open = this.submission?.comments.filter((c) => !c.resolved && c.parentId === undefined) ?? [];
    if (this.status === 'returned' && open.length > 0)
      return { ok: false, reason: `${open.length} reviewer comment${open.length === 1 ? '' : 's'} to resolve first` };
    return { ok: true };
  }

  async submit(): Promise<SubmissionView> {
    await this.save();
    await this.lintAll();
    const allowed = this.canSubmit();
    if (!allowed.ok) throw new HubspokeError('E_VALIDATION', allowed.reason ?? 'cannot submit');
    const submission = await this.source.submit(this.draft.id);
    this.submission = submission;
    await this.reload();
    return submission;
  }

  /** Re-reads the draft's status and review (after a decision, a comment, a submit). */
  async reload(): Promise<void> {
    const record = await this.source.draft(this.draft.id);
    this.status = record.status;
    if (record.submissionId !== undefined) this.submission = await this.source.submission(record.submissionId);
    await this.loadActions();
    // Local edits not saved yet are kept (and their save names the version they were made on).
    if (this.saveState === 'saved') {
      this.etag = record.etag;
      this.draft = record.draft;
      await this.enqueue(() => this.restart());
    }
    this.emit('status');
  }

  async reply(parentId: string, text: string): Promise<void> {
    if (!this.submission) return;
    this.submission = await this.source.comment(this.submission.id, { text, parentId });
    this.emit('status');
  }

  async resolveComment(commentId: string, resolved = true): Promise<void> {
    if (!this.submission) return;
    this.submission = await this.source.resolveComment(this.submission.id, commentId, resolved);
    this.emit('status');
  }

  /** Stops the session's linter (a worker ends). */
  close(): void {
    clearTimeout(this.fullLint);
    this.linter.close?.();
  }

  /** Pushes the approved draft through the hub's connector (the server refuses anything not approved as it is). */
  async push(): Promise<PushResult> {
    if (this.source.push === undefined)
      throw new HubspokeError('E_UNSUPPORTED', 'This hub does not push drafts from the editor');
    if (this.status !== 'approved')
      throw new HubspokeError('E_CONFLICT', 'Only an approved draft is pushed', { details: { status: this.status } });
    this.pushed = await this.source.push(this.draft.id);
    this.emit('status');
    return this.pushed;
  }

  /** After approval: a new editable version. */
  async newVersion(): Promise<void> {
    if (this.source.newVersion === undefined)
      throw new HubspokeError('E_UNSUPPORTED', 'This hub does not start new versions of approved drafts');
    const record = await this.source.newVersion(this.draft.id, this.etag);
    this.draft = record.draft;
    this.etag = record.etag;
    this.status = record.status;
    this.submission = undefined;
    this.pushed = undefined;
    this.saveState = 'saved';
    await this.enqueue(() => this.restart());
    await this.lintAll();
    this.emit('status');
  }
}

// The page calls these from event handlers with what the DOM gives: a wrong argument (or one from
// another script) is a HubspokeError in the banner, never a raw TypeError. Slot values and reply
// text are content and may be long.
guardMethods(
  'DraftSession',
  DraftSession.prototype,
  {
    explain: ['ruleId:string'],
    setSlot: ['instanceId:string', 'slotId:string', 'value:any', 'locale:string?'],
    setField: ['field:string', 'value:string?', 'locale:string?'],
    canAdd: ['moduleId:string'],
    addModule: ['moduleId:string'],
    removeModule: ['instanceId:string'],
    setHidden: ['instanceId:string', 'hidden:boolean'],
    move: ['instanceId:string', 'to:number'],
    setLocale: ['locale:string'],
    addLocale: ['locale:string'],
    setContact: ['id:string?'],
    applyFix: ['diagnostic:object', 'fix:object?'],
    applyContent: ['locale:string', 'content:object'],
    reply: ['parentId:string', 'text:string'],
    resolveComment: ['commentId:string', 'resolved:boolean?'],
  },
  { sync: ['explain', 'canAdd'], content: ['value', 'text'] },
);
