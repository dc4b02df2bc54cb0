import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Decision, Draft, RenderedEmail, Template } from '@hubspoke/core';
import { remoteSkeletons, render, type SkeletonSource } from '@hubspoke/template-engine/fill';
import { diffDrafts, wordDiff } from '../model/diff.js';
import { chipLabel } from '../model/tokens.js';
import type { CommentAnchor, EditorDataSource, HubInfo, SubmissionView, Viewer } from '../source/types.js';
import { editorStyles } from './editor-styles.js';
import type { HsPreview, Scheme } from './preview.js';
import { stageProgress } from './stages.js';
import { tokens } from './styles.js';

const DECISION_LABEL: Record<Decision, string> = {
  approved: 'Approve',
  approvedWithChanges: 'Approve with changes',
  changesRequired: 'Request changes',
  notRelevant: 'Not relevant',
  rejected: 'Reject',
};

const STATUS_LABEL: Record<SubmissionView['status'], string> = {
  inReview: 'In review',
  returned: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/**
 * `<hubspoke-review>`: the review panel for one submission. The reviewer sees the email as
 * submitted (preview with sample contacts, light and dark), comments on a slot (picked from a
 * list or by clicking it in the preview), decides (a reason where needed; an override with a
 * reason where the role permits), and compares rounds slot by slot and as rendered output.
 * Fires `hubspoke-decided` after a decision.
 */
export class HubspokeReview extends LitElement {
  static override styles = [tokens, editorStyles];
  static override properties = {
    source: { attribute: false },
    submissionId: { attribute: 'submission-id' },
    view: { state: true },
    failure: { state: true },
    tab: { state: true },
    locale: { state: true },
    anchor: { state: true },
    scheme: { state: true },
    contactId: { state: true },
    message: { state: true },
    busy: { state: true },
    compare: { state: true },
    envelope: { state: true },
  };
  declare source: EditorDataSource | undefined;
  declare submissionId: string | undefined;
  declare private view: SubmissionView | undefined;
  declare private failure: string | undefined;
  declare private tab: 'review' | 'diff';
  declare private locale: string;
  declare private anchor: string;
  declare private scheme: Scheme;
  declare private contactId: string | undefined;
  declare private message: string;
  declare private busy: boolean;
  declare private compare: number;
  declare private envelope: { subject: string; preheader: string };

  private template: Template | undefined;
  private hub: HubInfo | undefined;
  private viewer: Viewer | undefined;
  private skeletons: SkeletonSource | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.tab = 'review';
    this.locale = '';
    this.anchor = '';
    this.scheme = 'light';
    this.message = '';
    this.busy = false;
    this.compare = 0;
    this.envelope = { subject: '', preheader: '' };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('source') || changed.has('submissionId')) && this.source && this.submissionId) void this.load();
    if (['view', 'locale', 'contactId', 'tab', 'compare'].some((k) => changed.has(k as keyof HubspokeReview)))
      void this.renderPreviews();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private get draft(): Draft | undefined {
    return this.view?.rounds[this.view.rounds.length - 1]?.draft;
  }

  private async load(): Promise<void> {
    const { source, submissionId } = this;
    if (!source || !submissionId) return;
    this.failure = undefined;
    try {
      const [view, hub, viewer] = await Promise.all([source.submission(submissionId), source.hub(), source.viewer()]);
      const draft = view.rounds[view.rounds.length - 1]?.draft;
      if (!draft) throw new Error('The submission has no content');
      this.template = await source.template(draft.template.id, draft.template.version);
      this.hub = hub;
      this.viewer = viewer;
      this.skeletons = remoteSkeletons((request) => source.skeleton(request));
      this.contactId = hub.sampleContacts[0]?.id;
      this.locale = this.locale === '' || draft.content[this.locale] === undefined ? draft.defaultLocale : this.locale;
      this.compare = Math.max(1, view.round - 1);
      this.view = view;
      this.unsubscribe?.();
      this.unsubscribe = source.subscribe?.(
        (event) => {
          if (event.type === 'submission' && event.submissionId === submissionId)
            void source.submission(submissionId).then((v) => (this.view = v));
        },
        { submissionId },
      );
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private async renderDraft(draft: Draft): Promise<RenderedEmail | undefined> {
    if (!this.template || !this.skeletons || !this.hub) return undefined;
    const contact = this.hub.sampleContacts.find((c) => c.id === this.contactId);
    return render(this.template, draft, {
      locale: draft.content[this.locale] === undefined ? draft.defaultLocale : this.locale,
      annotate: true,
      cache: this.skeletons,
      ...(contact === undefined ? {} : { sampleContact: contact }),
    });
  }

  private async renderPreviews(): Promise<void> {
    const view = this.view;
    const draft = this.draft;
    if (!view || !draft) return;
    await this.updateComplete;
    const previews = Array.from(this.renderRoot.querySelectorAll<HsPreview>('hs-preview'));
    try {
      if (this.tab === 'review') {
        const email = await this.renderDraft(draft);
        this.envelope = { subject: email?.subject ?? '', preheader: email?.preheader ?? '' };
        previews[0]?.show(email?.html ?? '');
      } else {
        const older = view.rounds.find((r) => r.round === this.compare)?.draft;
        const [a, b] = await Promise.all([older ? this.renderDraft(older) : undefined, this.renderDraft(draft)]);
        previews[0]?.show(a?.html ?? '');
        previews[1]?.show(b?.html ?? '');
      }
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
    }
  }

  private anchorOf(): CommentAnchor | undefined {
    if (this.anchor === '') return undefined;
    const [instanceId = '', slotId] = this.anchor.split('/');
    return { instanceId, ...(slotId === undefined ? {} : { slotId, locale: this.locale }) };
  }

  private slotOptions(): TemplateResult[] {
    const draft = this.draft;
    const template = this.template;
    if (!draft || !template) return [];
    return draft.modules.flatMap((m) => {
      const def = template.modules.find((x) => x.id === m.moduleId);
      if (!def) return [];
      return def.slots.map(
        (s) =>
          html`<option .value=${`${m.instanceId}/${s.id}`} ?selected=${this.anchor === `${m.instanceId}/${s.id}`}>
            ${def.name} › ${s.label ?? s.id}
          </option>`,
      );
    });
  }

  private slotName(anchor: CommentAnchor | undefined): string {
    if (!anchor) return 'the whole email';
    const draft = this.draft;
    const def = this.template?.modules.find(
      (x) => x.id === draft?.modules.find((m) => m.instanceId === anchor.instanceId)?.moduleId,
    );
    const slot = def?.slots.find((s) => s.id === anchor.slotId);
    return `${def?.name ?? anchor.instanceId}${slot ? ` › ${slot.label ?? slot.id}` : ''}${anchor.locale === undefined ? '' : ` (${anchor.locale})`}`;
  }

  private async act(run: () => Promise<SubmissionView>, done: string): Promise<void> {
    this.busy = true;
    try {
      this.view = await run();
      this.message = done;
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  private decisionForm(view: SubmissionView): TemplateResult {
    if (view.allowedDecisions.length === 0)
      return html`<p class="muted">
        ${view.status === 'inReview' ? 'Nothing to decide for you at this stage.' : `This submission is ${STATUS_LABEL[view.status].toLowerCase()}.`}
      </p>`;
    const errors = view.lint.errors;
    return html`<form
      class="stack"
      @submit=${(e: Event) => {
        e.preventDefault();
        const form = e.target as HTMLFormElement;
        const data = new FormData(form);
        const decision = data.get('decision') as Decision | null;
        const given = data.get('reason');
        const reason = typeof given === 'string' ? given.trim() : '';
        const override = data.get('override') === 'on';
        if (!decision) {
          this.message = 'Choose a decision';
          return;
        }
        if (decision !== 'approved' && reason === '') {
          this.message = 'Say what should change: the spoke sees your reason';
          return;
        }
        void this.act(
          () =>
            this.source?.decide(view.id, {
              decision,
              ...(reason === '' ? {} : { reason }),
              ...(override ? { override } : {}),
            }) ?? Promise.reject(new Error('no source')),
          `Decision recorded: ${DECISION_LABEL[decision]}`,
        ).then(() =>
          this.dispatchEvent(
            new CustomEvent('hubspoke-decided', { detail: { decision }, bubbles: true, composed: true }),
          ),
        );
      }}
    >
      <fieldset class="stack">
        <legend class="label">Your decision</legend>
        ${view.allowedDecisions.map(
          (d) =>
            html`<label class="row"><input type="radio" name="decision" .value=${d} /> ${DECISION_LABEL[d]}</label>`,
        )}
      </fieldset>
      <div class="field">
        <label for="hs-reason">Reason <span class="muted small">(required unless you approve)</span></label>
        <textarea id="hs-reason" name="reason" rows="3"></textarea>
      </div>
      ${
        errors > 0
          ? html`<p class="banner error">
              The draft has ${errors} error finding${errors === 1 ? '' : 's'}.
              ${
                view.canOverride
                  ? html`<label class="row"
                      ><input type="checkbox" name="override" /> Approve over them (needs a reason; audited)</label
                    >`
                  : 'It cannot be approved until they are fixed.'
              }
            </p>`
          : nothing
      }
      <div class="row"><button type="submit" class="btn primary" ?disabled=${this.busy}>Record decision</button></div>
    </form>`;
  }

  private commentForm(view: SubmissionView): TemplateResult | typeof nothing {
    if (view.status !== 'inReview') return nothing;
    return html`<form
      class="stack"
      @submit=${(e: Event) => {
        e.preventDefault();
        const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#hs-comment');
        const text = area?.value.trim() ?? '';
        if (text === '') {
          this.message = 'Write a comment first';
          return;
        }
        const anchor = this.anchorOf();
        void this.act(
          () =>
            this.source?.comment(view.id, { text, ...(anchor ? { anchor } : {}) }) ??
            Promise.reject(new Error('no source')),
          `Comment added on ${this.slotName(anchor)}`,
        ).then(() => {
          if (area) area.value = '';
        });
      }}
    >
      <div class="field">
        <label for="hs-anchor">Comment on</label>
        <select id="hs-anchor" @change=${(e: Event) => (this.anchor = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${this.anchor === ''}>The whole email</option>
          ${this.slotOptions()}
        </select>
        <span class="hint">Or click the part in the preview.</span>
      </div>
      <div class="field">
        <label for="hs-comment">Comment</label>
        <textarea id="hs-comment" rows="3"></textarea>
      </div>
      <div class="row"><button type="submit" class="btn" ?disabled=${this.busy}>Add comment</button></div>
    </form>`;
  }

  private comments(view: SubmissionView): TemplateResult {
    const roots = view.comments.filter((c) => c.parentId === undefined);
    if (roots.length === 0) return html`<p class="muted">No comments yet.</p>`;
    return html`<ul class="comments">
      ${roots.map(
        (c) =>
          html`<li class="comment ${c.resolved ? 'resolved' : ''}">
            <p>
              <strong>${c.author}</strong> on ${this.slotName(c.anchor)}
              <span class="muted small">· round ${c.round}</span>
              ${c.resolved ? html`<span class="badge ok">Resolved</span>` : nothing}
              ${c.outdated ? html`<span class="badge">Outdated</span>` : nothing}
            </p>
            <p>${c.text}</p>
            ${view.comments
              .filter((r) => r.parentId === c.id)
              .map((r) => html`<p class="reply"><strong>${r.author}</strong>: ${r.text}</p>`)}
          </li>`,
      )}
    </ul>`;
  }

  private diff(view: SubmissionView): TemplateResult {
    const template = this.template;
    const current = view.rounds[view.rounds.length - 1];
    if (!template || !current || view.rounds.length < 2)
      return html`<div class="state">
        <strong>Only one round so far.</strong><span>Changes show here after a resubmission.</span>
      </div>`;
    const older = view.rounds.find((r) => r.round === this.compare) ?? view.rounds[0];
    const fields = this.hub?.fields ?? [];
    const rows = older ? diffDrafts(template, older.draft, current.draft, (source) => chipLabel(source, fields)) : [];
    return html`<div class="stack">
      <h2>Changes slot by slot</h2>
      <div class="row">
        <label for="hs-compare">Compare round</label>
        <select id="hs-compare" @change=${(e: Event) => (this.compare = Number((e.target as HTMLSelectElement).value))}>
          ${view.rounds
            .filter((r) => r.round !== current.round)
            .map(
              (r) =>
                html`<option .value=${String(r.round)} ?selected=${r.round === this.compare}>Round ${r.round}</option>`,
            )}
        </select>
        <span>with round ${current.round} (current)</span>
      </div>
      ${
        rows.length === 0
          ? html`<p class="muted">No content changed between these rounds.</p>`
          : html`<table class="diff">
              <caption class="visually-hidden">
                Changes slot by slot
              </caption>
              <thead>
                <tr>
                  <th scope="col">Where</th>
                  <th scope="col">Locale</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      <th scope="row">${r.where}</th>
                      <td>${r.locale ?? ''}</td>
                      <td>
                        ${wordDiff(r.before, r.after).map((p) =>
                          p.op === '='
                            ? p.text
                            : p.op === '-'
                              ? html`<del>${p.text}</del>`
                              : html`<ins>${p.text}</ins>`,
                        )}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <h2>As rendered</h2>
      <div class="frames-pair">
        <section aria-label="Round ${older?.round ?? ''}">
          <h3>Round ${older?.round ?? ''}</h3>
          <hs-preview .scheme=${this.scheme} compact></hs-preview>
        </section>
        <section aria-label="Round ${current.round}">
          <h3>Round ${current.round}</h3>
          <hs-preview .scheme=${this.scheme} compact></hs-preview>
        </section>
      </div>
    </div>`;
  }

  protected override render() {
    if (this.failure !== undefined)
      return html`<div class="state error" role="alert">
        <strong>The submission could not be opened.</strong><span>${this.failure}</span>
        <button type="button" class="btn" @click=${() => void this.load()}>Try again</button>
      </div>`;
    const view = this.view;
    const draft = this.draft;
    if (!view || !draft || !this.hub)
      return html`<div class="state" role="status">
        <div class="spinner"></div>
        <strong>Opening the submission…</strong>
      </div>`;
    const locales = Object.keys(draft.content);
    return html`<header class="bar">
        <div class="title">
          <h1>${view.title}</h1>
          <div class="row">
            <span class="badge ${view.status === 'approved' ? 'ok' : view.status === 'returned' ? 'warning' : 'info'}"
              >${STATUS_LABEL[view.status]}</span
            >
            <span class="muted small">Submitted by ${view.submitter} · round ${view.round}</span>
            ${view.lint.errors > 0 ? html`<span class="badge error">${view.lint.errors} error findings</span>` : html`<span class="badge ok">Checks pass</span>`}
          </div>
          ${stageProgress(view)}
        </div>
        <div class="row">
          ${view.override ? html`<span class="badge warning">Override by ${view.override.by}: ${view.override.reason}</span>` : nothing}
        </div>
      </header>
      ${this.message === '' ? nothing : html`<div class="banner" role="status">${this.message}</div>`}
      <div class="tabs">
        <div role="tablist" aria-label="Review views">
          ${(
            [
              ['review', 'Review'],
              ['diff', `Changes since round ${Math.max(1, view.round - 1)}`],
            ] as const
          ).map(
            ([id, label]) =>
              html`<button
                role="tab"
                id="hs-rtab-${id}"
                aria-selected=${this.tab === id ? 'true' : 'false'}
                aria-controls="hs-review-panel"
                tabindex=${this.tab === id ? 0 : -1}
                @click=${() => (this.tab = id)}
              >
                ${label}
              </button>`,
          )}
        </div>
        <label class="row small"
          >Locale
          <select @change=${(e: Event) => (this.locale = (e.target as HTMLSelectElement).value)}>
            ${locales.map((l) => html`<option .value=${l} ?selected=${l === this.locale}>${l}</option>`)}
          </select>
        </label>
      </div>
      <div id="hs-review-panel" role="tabpanel" aria-labelledby="hs-rtab-${this.tab}">
        ${
          this.tab === 'diff'
            ? html`<div class="layout single"><section class="panel">${this.diff(view)}</section></div>`
            : html`<div class="layout">
                <div class="stack">
                  <section class="panel" aria-labelledby="hs-decide-heading">
                    <h2 id="hs-decide-heading">Decision</h2>
                    ${this.decisionForm(view)}
                  </section>
                  <section class="panel" aria-labelledby="hs-comments-heading">
                    <h2 id="hs-comments-heading">Comments</h2>
                    ${this.commentForm(view)} ${this.comments(view)}
                  </section>
                </div>
                <section class="panel" aria-labelledby="hs-rpreview-heading">
                  <h2 id="hs-rpreview-heading">The email as submitted</h2>
                  <hs-preview
                    .contacts=${this.hub.sampleContacts}
                    .contactId=${this.contactId}
                    .scheme=${this.scheme}
                    .subject=${this.envelope.subject}
                    .preheader=${this.envelope.preheader}
                    @hs-contact=${(e: CustomEvent<{ id: string | undefined }>) => (this.contactId = e.detail.id)}
                    @hs-scheme=${(e: CustomEvent<{ scheme: Scheme }>) => (this.scheme = e.detail.scheme)}
                    @hs-pick-slot=${(e: CustomEvent<{ slot: string }>) => {
                      this.anchor = e.detail.slot;
                      this.renderRoot.querySelector<HTMLTextAreaElement>('#hs-comment')?.focus();
                    }}
                  ></hs-preview>
                </section>
              </div>`
        }
      </div>`;
  }
}

/** `<hubspoke-inbox>`: the submissions waiting for the viewer, soonest due first. Fires `hubspoke-open-review`. */
export class HubspokeInbox extends LitElement {
  static override styles = [tokens, editorStyles];
  static override properties = {
    source: { attribute: false },
    items: { state: true },
    failure: { state: true },
  };
  declare source: EditorDataSource | undefined;
  declare private items: Awaited<ReturnType<EditorDataSource['inbox']>> | undefined;
  declare private failure: string | undefined;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.source) void this.load();
  }

  async load(): Promise<void> {
    if (!this.source) return;
    try {
      this.failure = undefined;
      this.items = await this.source.inbox();
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  protected override render() {
    if (this.failure !== undefined)
      return html`<div class="state error" role="alert">
        <strong>The inbox could not be loaded.</strong><span>${this.failure}</span>
        <button type="button" class="btn" @click=${() => void this.load()}>Try again</button>
      </div>`;
    if (!this.items)
      return html`<div class="state" role="status">
        <div class="spinner"></div>
        <strong>Loading the inbox…</strong>
      </div>`;
    const now = Date.now();
    return html`<section class="panel inbox" aria-labelledby="hs-inbox-heading">
      <h1 id="hs-inbox-heading">Waiting for your review</h1>
      ${
        this.items.length === 0
          ? html`<div class="state">
              <strong>Nothing waits for you.</strong><span>New submissions for your stages appear here.</span>
            </div>`
          : html`<table class="diff">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">From</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Due</th>
                  <th scope="col"><span class="visually-hidden">Open</span></th>
                </tr>
              </thead>
              <tbody>
                ${this.items.map((item) => {
                  const overdue = item.dueAt !== undefined && Date.parse(item.dueAt) < now;
                  return html`<tr>
                    <th scope="row">${item.title} <span class="muted small">round ${item.round}</span></th>
                    <td>${item.submitter}</td>
                    <td>${item.stage}</td>
                    <td>
                      ${item.dueAt === undefined ? html`<span class="muted">no due date</span>` : new Date(item.dueAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
                      ${overdue ? html`<span class="badge error">overdue</span>` : nothing}
                      ${item.escalated ? html`<span class="badge warning">escalated</span>` : nothing}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="btn small primary"
                        @click=${() => this.dispatchEvent(new CustomEvent('hubspoke-open-review', { detail: { submissionId: item.submissionId }, bubbles: true, composed: true }))}
                      >
                        Review<span class="visually-hidden"> ${item.title}</span>
                      </button>
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }
    </section>`;
  }
}
