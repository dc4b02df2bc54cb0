import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Diagnostic, LocaleContent } from '@hubspoke/core';
import { DraftSession, type ChangeDetail, type DraftSessionOptions } from '../model/session.js';
import { visibleLength } from '../model/tokens.js';
import { fieldValueIn } from '../model/values.js';
import type { EditorDataSource, Suggestion, Translation } from '../source/types.js';
import { editorStyles } from './editor-styles.js';
import type { HsModuleList } from './module-list.js';
import type { HsPreview, Scheme } from './preview.js';
import { domId, findingItem } from './slot-field.js';
import { stageProgress } from './stages.js';
import { tokens } from './styles.js';

const STATUS_LABEL = {
  draft: 'Draft',
  inReview: 'In review',
  returned: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
} as const;

/**
 * `<hubspoke-editor>`: the spoke's no-code editor. Give it a data source and a draft id:
 * every control comes from the template's slot definitions and lock levels; every keystroke
 * re-renders the preview on the skeleton path and re-lints; submit stays disabled, saying
 * why, while errors exist. Fires `hubspoke-submitted` after a submission and
 * `hubspoke-session` once the draft is open (the `DraftSession`, for embedders and tests).
 */
export class HubspokeEditor extends LitElement {
  static override styles = [tokens, editorStyles];
  static override properties = {
    source: { attribute: false },
    draftId: { attribute: 'draft-id' },
    sessionOptions: { attribute: false },
    session: { state: true },
    failure: { state: true },
    rev: { state: true },
    scheme: { state: true },
    busy: { state: true },
    translation: { state: true },
    subjects: { state: true },
    notice: { state: true },
  };
  declare source: EditorDataSource | undefined;
  declare draftId: string | undefined;
  /** How drafts are opened (e.g. `{ linter: workerLinter(…) }`). */
  declare sessionOptions: DraftSessionOptions | undefined;
  declare session: DraftSession | undefined;
  declare private failure: string | undefined;
  declare private rev: number;
  declare private scheme: Scheme;
  declare private busy: boolean;
  declare private translation: (Translation & { from: string; to: string }) | 'loading' | undefined;
  declare private subjects: Suggestion[] | 'loading' | undefined;
  declare private notice: string;
  /** The draft's status when the notice was given: it goes when the status moves on. */
  private noticeStatus: string | undefined;

  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.rev = 0;
    this.scheme = 'light';
    this.busy = false;
    this.notice = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('source') || changed.has('draftId')) && this.source && this.draftId) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.session?.close();
  }

  private async load(): Promise<void> {
    const { source, draftId } = this;
    if (!source || !draftId) return;
    this.session?.close();
    this.session = undefined;
    this.failure = undefined;
    this.unsubscribe?.();
    try {
      // The editor draws while the opening lint runs (in the lint worker, on another thread);
      // its findings redraw what they concern when they come in.
      const session = await DraftSession.open(source, draftId, { lintInBackground: true, ...this.sessionOptions });
      session.addEventListener('change', (e) => {
        this.onChange((e as CustomEvent<ChangeDetail>).detail);
      });
      void session.firstLint.then(() => {
        if (this.session === session) this.onChange({ kind: 'lint' });
      });
      this.session = session;
      this.unsubscribe = source.subscribe?.(
        (event) => {
          if (event.draftId === draftId && event.type === 'submission') void session.reload();
        },
        { draftId },
      );
      this.dispatchEvent(new CustomEvent('hubspoke-session', { detail: { session }, bubbles: true, composed: true }));
      await this.updateComplete;
      this.preview?.show(session.email?.html ?? '');
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private get preview(): HsPreview | null {
    return this.renderRoot.querySelector<HsPreview>('hs-preview');
  }

  private redraw: number | undefined;

  private onChange(detail: ChangeDetail): void {
    // The preview is patched at once, outside Lit's update cycle: that is the keystroke path.
    // Everything else (counters, findings, badges) is redrawn in the next frame, once; after a
    // one-slot edit (a keystroke) in the frame after that, so the frame that shows the keystroke
    // carries the text box and the preview only (Lit's redraw of the editor was the largest
    // script in it).
    if (detail.kind === 'render') this.preview?.show(this.session?.email?.html ?? '', detail.slot);
    if (this.redraw !== undefined) return;
    const later = detail.kind === 'render' && detail.slot !== undefined;
    const redraw = () => {
      this.redraw = undefined;
      this.rev += 1;
    };
    this.redraw = requestAnimationFrame(() => {
      if (later) this.redraw = requestAnimationFrame(redraw);
      else redraw();
    });
  }

  private focusSlot(instanceId: string, slotId: string): void {
    const list = this.renderRoot.querySelector<HsModuleList>('hs-module-list');
    list?.open(instanceId);
    this.preview?.highlight(`${instanceId}/${slotId}`);
    void list?.updateComplete.then(async () => {
      await new Promise((r) => requestAnimationFrame(r));
      const slot = this.renderRoot.querySelector<HTMLElement>(`#${domId('slot', instanceId, slotId)}`);
      slot?.scrollIntoView({ block: 'center' });
      slot?.querySelector<HTMLElement>('.pm, input, select, button')?.focus();
    });
  }

  private locate(d: Diagnostic): string {
    const s = this.session;
    const l = d.location;
    if (l.field) return l.field === 'subject' ? 'Subject' : l.field === 'preheader' ? 'Preheader' : 'Body';
    if (l.instanceId === undefined) return 'Template';
    const def = s?.composition.module(s.draft.modules.find((m) => m.instanceId === l.instanceId)?.moduleId ?? '');
    const slot = def?.slots.find((x) => x.id === l.slotId);
    return `${def?.name ?? l.instanceId}${slot ? ` › ${slot.label ?? slot.id}` : ''}`;
  }

  private header(s: DraftSession): TemplateResult {
    const allowed = s.canSubmit();
    const save = { saved: 'All changes saved', unsaved: 'Unsaved changes…', saving: 'Saving…', error: 'Not saved' }[
      s.saveState
    ];
    return html`<header class="bar">
      <div class="title">
        <h1>${s.draft.name}</h1>
        <div class="row">
          <span class="badge ${s.status === 'approved' ? 'ok' : s.status === 'returned' ? 'warning' : 'info'}"
            >${STATUS_LABEL[s.status]}</span
          >
          <span class="muted small">${s.template.name} · version ${s.draft.version}</span>
          <span class="muted small" role="status" aria-live="polite">${s.readOnly ? '' : save}</span>
        </div>
        ${s.submission ? stageProgress(s.submission) : nothing}
      </div>
      <div class="submit-area">
        ${
          s.status === 'approved'
            ? html`<div class="row">
                ${
                  s.canPush
                    ? html`<button
                        type="button"
                        class="btn primary"
                        id="hs-push"
                        ?disabled=${this.busy}
                        @click=${() => void this.push()}
                      >
                        ${s.pushed === undefined ? 'Push to the ESP' : 'Push again'}
                      </button>`
                    : nothing
                }
                ${
                  s.canStartNewVersion
                    ? html`<button
                        type="button"
                        class="btn"
                        id="hs-new-version"
                        ?disabled=${this.busy}
                        @click=${() => void this.startNewVersion()}
                      >
                        Start a new version
                      </button>`
                    : nothing
                }
              </div>`
            : html`<button
                  type="button"
                  class="btn primary"
                  id="hs-submit"
                  ?disabled=${!allowed.ok || this.busy}
                  aria-describedby="hs-submit-reason"
                  @click=${() => void this.submit()}
                >
                  ${s.status === 'returned' ? 'Resubmit for review' : 'Submit for review'}
                </button>
                <p class="submit-reason" id="hs-submit-reason">${allowed.ok ? '' : allowed.reason}</p>`
        }
      </div>
    </header>`;
  }

  private async submit(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.busy = true;
    try {
      const submission = await s.submit();
      this.notice = `Submitted for review: ${submission.stages.find((st) => st.status === 'active')?.name ?? 'review'}`;
      this.noticeStatus = s.status;
      this.dispatchEvent(
        new CustomEvent('hubspoke-submitted', { detail: { submission }, bubbles: true, composed: true }),
      );
    } catch (error) {
      this.notice = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  private async push(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.busy = true;
    try {
      const result = await s.push();
      // A web address is worth showing; a server's file path is not.
      const link = result.url !== undefined && /^https?:/.test(result.url) ? ` (${result.url})` : '';
      this.notice = `Pushed through ${result.connector}: ${result.remoteId}${link}`;
    } catch (error) {
      this.notice = `Not pushed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.noticeStatus = s.status;
      this.busy = false;
    }
  }

  private async startNewVersion(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.busy = true;
    try {
      await s.newVersion();
      this.notice = `Version ${String(s.draft.version)} started: edit it and submit it for review`;
    } catch (error) {
      this.notice = `No new version: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.noticeStatus = s.status;
      this.busy = false;
      await this.updateComplete;
      // The buttons just went away: focus the submit button, which takes their place.
      this.renderRoot.querySelector<HTMLElement>('#hs-submit')?.focus();
    }
  }

  private banners(s: DraftSession): TemplateResult {
    const open = s.submission?.comments.filter((c) => !c.resolved && c.parentId === undefined) ?? [];
    return html`${
      s.conflict === undefined
        ? nothing
        : html`<div class="banner warning" role="alert">
            <strong>Someone else saved this draft.</strong> Your changes are still here and not saved.
            <button type="button" class="btn small" @click=${() => void s.keepMine()}>Keep my version</button>
            <button type="button" class="btn small" @click=${() => void s.takeTheirs()}>Use the saved version</button>
          </div>`
    }
    ${
      s.error === undefined
        ? nothing
        : html`<div class="banner error" role="alert">
            <strong>Something went wrong.</strong> ${s.error}
            <button type="button" class="btn small" @click=${() => void this.load()}>Reload the draft</button>
          </div>`
    }
    ${
      s.status === 'returned'
        ? html`<div class="banner warning">
            <strong>Changes requested.</strong>
            ${
              open.length === 0
                ? 'Every comment is resolved: resubmit when you are ready.'
                : `${open.length} comment${open.length === 1 ? '' : 's'} to resolve, shown on the slots they concern.`
            }
          </div>`
        : nothing
    }
    ${
      s.status === 'approved'
        ? html`<div class="banner ok">
            <strong>Approved.</strong> This version is
            read-only${s.canStartNewVersion ? '; start a new version to change it.' : '.'}
          </div>`
        : nothing
    }
    ${
      s.status === 'inReview'
        ? html`<div class="banner"><strong>In review.</strong> The draft is read-only until the reviewers decide.</div>`
        : nothing
    }
    ${
      this.notice === '' || (this.noticeStatus !== undefined && this.noticeStatus !== s.status)
        ? nothing
        : html`<div class="banner" role="status">${this.notice}</div>`
    }`;
  }

  private tabs(s: DraftSession): TemplateResult {
    const addable = s.hub.locales.filter((l) => !s.locales.includes(l));
    const canTranslate =
      s.hub.assist.translate && s.source.translate && s.locale !== s.draft.defaultLocale && !s.readOnly;
    return html`<div class="tabs">
      <div role="tablist" aria-label="Locales">
        ${s.locales.map(
          (l) =>
            html`<button
              role="tab"
              id="hs-tab-${l}"
              aria-selected=${l === s.locale ? 'true' : 'false'}
              aria-controls="hs-locale-panel"
              tabindex=${l === s.locale ? 0 : -1}
              @click=${() => void s.setLocale(l)}
              @keydown=${(e: KeyboardEvent) => {
                const i = s.locales.indexOf(l);
                const next =
                  e.key === 'ArrowRight'
                    ? s.locales[(i + 1) % s.locales.length]
                    : e.key === 'ArrowLeft'
                      ? s.locales[(i - 1 + s.locales.length) % s.locales.length]
                      : undefined;
                if (next === undefined) return;
                e.preventDefault();
                void s
                  .setLocale(next)
                  .then(() => this.renderRoot.querySelector<HTMLElement>(`#hs-tab-${next}`)?.focus());
              }}
            >
              ${l}${l === s.draft.defaultLocale ? html`<span class="muted small"> · main</span>` : nothing}
            </button>`,
        )}
      </div>
      ${
        s.readOnly || addable.length === 0
          ? nothing
          : html`<form
              class="row"
              @submit=${(e: Event) => {
                e.preventDefault();
                const select = (e.target as HTMLFormElement).querySelector('select');
                if (select) void s.addLocale(select.value);
              }}
            >
              <label for="hs-add-locale" class="visually-hidden">Locale to add</label>
              <select id="hs-add-locale">
                ${addable.map((l) => html`<option .value=${l}>${l}</option>`)}
              </select>
              <button type="submit" class="btn small">Add locale</button>
            </form>`
      }
      ${
        canTranslate
          ? html`<button type="button" class="btn small" @click=${() => void this.runTranslation(s)}>
              Translate from ${s.draft.defaultLocale}
            </button>`
          : nothing
      }
    </div>`;
  }

  private async runTranslation(s: DraftSession): Promise<void> {
    const from = s.draft.defaultLocale;
    const to = s.locale;
    this.translation = 'loading';
    try {
      const result = await s.source.translate?.(s.draft, from, to);
      this.translation = result ? { ...result, from, to } : undefined;
    } catch (error) {
      this.translation = undefined;
      this.notice = error instanceof Error ? error.message : String(error);
    }
  }

  private translationPanel(s: DraftSession): TemplateResult | typeof nothing {
    const t = this.translation;
    if (t === undefined) return nothing;
    if (t === 'loading')
      return html`<div class="banner" role="status">
        <span class="row"><span class="spinner small"></span> Translating…</span>
      </div>`;
    const errors = t.diagnostics.filter((d) => d.severity === 'error').length;
    return html`<section class="banner translation" aria-labelledby="hs-translation-heading">
      <h2 id="hs-translation-heading">Translation ${t.from} → ${t.to}</h2>
      <p>
        ${
          t.diagnostics.length === 0
            ? html`<span class="badge ok">Brand check passed</span>`
            : html`<span class="badge ${errors > 0 ? 'error' : 'warning'}"
                >${t.diagnostics.length} finding${t.diagnostics.length === 1 ? '' : 's'}</span
              >`
        }
        ${t.content.subject === undefined ? nothing : html` Subject: “${t.content.subject}”`}
      </p>
      <ul class="findings">
        ${t.diagnostics.map((d) => findingItem(s, d, true))}
      </ul>
      <div class="row">
        <button
          type="button"
          class="btn primary"
          @click=${async () => {
            const content: LocaleContent = t.content;
            this.translation = undefined;
            await s.applyContent(t.to, content);
          }}
        >
          Use the translation
        </button>
        <button type="button" class="btn" @click=${() => (this.translation = undefined)}>Discard</button>
      </div>
    </section>`;
  }

  private envelopeField(s: DraftSession, field: 'subject' | 'preheader'): TemplateResult {
    const def = s.template[field];
    const shown = fieldValueIn(s.template, s.draft, s.locale, field);
    const id = `hs-${field}`;
    const editable = !s.readOnly && def.lock !== 'locked';
    const findings = s.diagnostics.filter(
      (d) => d.location.field === field && (d.location.locale === undefined || d.location.locale === s.locale),
    );
    const n = visibleLength(shown.value);
    return html`<div class="slot ${findings.some((d) => d.severity === 'error') ? 'has-error' : ''}" id="${id}-slot">
      <div class="slot-head">
        <span class="label" id="${id}-label"
          >${field === 'subject' ? 'Subject line' : 'Preheader'}${
            def.required
              ? html`<span class="required" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>`
              : nothing
          }</span
        >
        <span class="counter ${def.maxLength !== undefined && n > def.maxLength ? 'over' : ''}" id="${id}-count"
          >${n}${def.maxLength === undefined ? '' : ` / ${def.maxLength}`}<span class="visually-hidden">
            characters</span
          ></span
        >
      </div>
      <p class="hint" id="${id}-inherit">
        ${shown.own ? '' : shown.from === undefined ? 'The template’s default.' : `Inherited from ${shown.from}.`}
      </p>
      <hs-token-editor
        data-target="text"
        .value=${shown.value}
        .mode=${'line'}
        .fields=${s.hub.fields}
        .disabled=${!editable}
        .invalid=${findings.some((d) => d.severity === 'error')}
        .labelledBy=${`${id}-label`}
        .describedBy=${`${id}-count ${id}-inherit ${id}-findings`}
        @hs-value=${(e: CustomEvent<{ value: string }>) => void s.setField(field, e.detail.value)}
      ></hs-token-editor>
      <ul class="findings" id="${id}-findings" aria-label="Findings">
        ${findings.map((d) => findingItem(s, d, s.readOnly))}
      </ul>
      ${
        field === 'subject' && editable && s.hub.assist.subjects && s.source.subjectVariants
          ? html`<div class="assist">
              <button
                type="button"
                class="btn small"
                ?disabled=${this.subjects === 'loading'}
                @click=${async () => {
                  this.subjects = 'loading';
                  try {
                    this.subjects = (await s.source.subjectVariants?.(s.draft, s.locale)) ?? [];
                  } catch {
                    this.subjects = [];
                  }
                }}
              >
                Suggest subject lines
              </button>
              ${
                this.subjects === 'loading'
                  ? html`<span class="row muted" role="status"
                      ><span class="spinner small"></span> Asking the assistant…</span
                    >`
                  : this.subjects === undefined
                    ? nothing
                    : html`<ul class="suggestions" aria-label="Subject line suggestions">
                        ${this.subjects.map(
                          (v) =>
                            html`<li>
                              <span>${v.text}</span>
                              ${
                                v.diagnostics.length === 0
                                  ? html`<span class="badge ok">Brand check passed</span>`
                                  : html`<span
                                      class="badge ${v.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'warning'}"
                                      >${v.diagnostics.map((d) => d.message).join('; ')}</span
                                    >`
                              }
                              <button
                                type="button"
                                class="btn small"
                                @click=${() => {
                                  this.subjects = undefined;
                                  void s.setField('subject', v.text);
                                }}
                              >
                                Use
                              </button>
                            </li>`,
                        )}
                      </ul>`
              }
            </div>`
          : nothing
      }
    </div>`;
  }

  private findingsPanel(s: DraftSession): TemplateResult {
    const list = s.diagnostics;
    const counts = { error: 0, warning: 0, suggestion: 0 };
    for (const d of list) counts[d.severity] += 1;
    return html`<section class="panel all-findings" aria-labelledby="hs-findings-heading">
      <div class="row">
        <h2 id="hs-findings-heading">Checks</h2>
        <span class="badge error">${counts.error} error${counts.error === 1 ? '' : 's'}</span>
        <span class="badge warning">${counts.warning} warning${counts.warning === 1 ? '' : 's'}</span>
      </div>
      ${
        list.length === 0
          ? html`<div class="state">
              <strong>All checks pass.</strong><span>Brand, template and accessibility rules found nothing.</span>
            </div>`
          : html`<ul class="findings" data-testid="all-findings">
              ${list.map(
                (d) =>
                  html`<li class="finding ${d.severity}">
                    <span class="badge ${d.severity}">${d.severity}</span>
                    <span class="finding-text"
                      >${
                        d.location.instanceId !== undefined && d.location.slotId !== undefined
                          ? html`<button
                              type="button"
                              class="btn quiet small finding-where"
                              @click=${() => {
                                if (d.location.locale !== undefined && d.location.locale !== s.locale)
                                  void s.setLocale(d.location.locale).then(() => {
                                    this.focusSlot(d.location.instanceId ?? '', d.location.slotId ?? '');
                                  });
                                else this.focusSlot(d.location.instanceId ?? '', d.location.slotId ?? '');
                              }}
                            >
                              ${this.locate(d)}${d.location.locale === undefined ? '' : ` (${d.location.locale})`}
                            </button>`
                          : html`<span class="finding-where"
                              >${this.locate(d)}${d.location.locale === undefined ? '' : ` (${d.location.locale})`}</span
                            >`
                      }
                      ${d.message}</span
                    >
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  protected override render() {
    if (this.failure !== undefined)
      return html`<div class="state error" role="alert">
        <strong>The draft could not be opened.</strong>
        <span>${this.failure}</span>
        <button type="button" class="btn" @click=${() => void this.load()}>Try again</button>
      </div>`;
    const s = this.session;
    if (!s)
      return html`<div class="state" role="status">
        <div class="spinner"></div>
        <strong>Opening the draft…</strong>
      </div>`;
    return html`${this.header(s)} ${this.banners(s)} ${this.tabs(s)}
      <div class="layout" id="hs-locale-panel" role="tabpanel" aria-labelledby="hs-tab-${s.locale}">
        <div class="stack">
          ${this.translationPanel(s)}
          <section class="panel" aria-labelledby="hs-envelope-heading">
            <h2 id="hs-envelope-heading">Envelope</h2>
            ${this.envelopeField(s, 'subject')} ${this.envelopeField(s, 'preheader')}
          </section>
          <section class="panel" aria-labelledby="hs-content-heading">
            <h2 id="hs-content-heading">Content</h2>
            <hs-module-list .session=${s} .rev=${this.rev}></hs-module-list>
          </section>
        </div>
        <div class="side">
          <section class="panel" aria-labelledby="hs-preview-heading">
            <h2 id="hs-preview-heading">Preview</h2>
            <hs-preview
              .contacts=${s.hub.sampleContacts}
              .contactId=${s.contactId}
              .scheme=${this.scheme}
              .subject=${s.email?.subject ?? ''}
              .preheader=${s.email?.preheader ?? ''}
              @hs-contact=${(e: CustomEvent<{ id: string | undefined }>) => void s.setContact(e.detail.id)}
              @hs-scheme=${(e: CustomEvent<{ scheme: Scheme }>) => (this.scheme = e.detail.scheme)}
              @hs-pick-slot=${(e: CustomEvent<{ slot: string }>) => {
                const [instanceId = '', slotId = ''] = e.detail.slot.split('/');
                this.focusSlot(instanceId, slotId);
              }}
            ></hs-preview>
          </section>
          ${this.findingsPanel(s)}
        </div>
      </div>`;
  }
}
