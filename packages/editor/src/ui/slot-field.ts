import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { Diagnostic, ImageValue, LinkValue, ModuleDef, SlotDef } from '@hubspoke/core';
import { allowedRichTags, canEdit } from '@hubspoke/template-engine/fill';
import type { DraftSession } from '../model/session.js';
import { assetAlt, assetChoices, linkPolicy } from '../model/policy.js';
import { visibleLength } from '../model/tokens.js';
import { slotValueIn } from '../model/values.js';
import type { Suggestion } from '../source/types.js';
import type { HsTokenEditor } from './token-editor.js';

const NO_TAGS: string[] = [];
const richTags = new WeakMap<SlotDef, string[]>();

/**
 * The tags a slot's text box allows, the same array on every redraw of the slot: a new array
 * each time was a changed property, which redrew the box and its toolbar (nine `isActive`
 * checks) on every keystroke's redraw.
 */
function allowedTagsOf(def: SlotDef): string[] {
  if (def.kind !== 'richText') return NO_TAGS;
  let tags = richTags.get(def);
  if (tags === undefined) richTags.set(def, (tags = allowedRichTags(def.allowedTags)));
  return tags;
}

const humanize = (id: string) =>
  id
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

export const domId = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');

/** One finding on a field: severity, message, the rule's explanation, and its one-click fixes. */
export function findingItem(session: DraftSession, d: Diagnostic, readOnly: boolean): TemplateResult {
  const why = session.explain(d.ruleId);
  const fixes = [...(d.fix ? [d.fix] : []), ...(d.suggestions ?? [])];
  return html`<li class="finding ${d.severity}">
    <span class="badge ${d.severity}">${d.severity}</span>
    <span class="finding-text"
      >${d.message}${why === undefined ? nothing : html` <span class="muted">${why}</span>`}</span
    >
    ${
      readOnly
        ? nothing
        : fixes.map(
            (fix, i) =>
              html`<button
                type="button"
                class="btn small ${i === 0 && d.fix ? 'primary' : ''}"
                data-fix=${d.ruleId}
                @click=${() => void session.applyFix(d, fix)}
              >
                ${fix.description}
              </button>`,
          )
    }
  </li>`;
}

/**
 * The control for one slot, generated from its definition: kind, constraints, lock (per
 * property), required marker, inherited value, findings and reviewers' comments on it.
 * Renders into the editor's tree.
 */
export class HsSlotField extends LitElement {
  static override properties = {
    session: { attribute: false },
    instanceId: {},
    def: { attribute: false },
    module: { attribute: false },
    rev: { type: Number },
    picking: { state: true },
    suggestions: { state: true },
    form: { state: true },
    href: { state: true },
  };
  declare session: DraftSession;
  declare instanceId: string;
  declare def: SlotDef;
  declare module: ModuleDef;
  declare rev: number;
  declare private picking: boolean;
  declare private suggestions: Suggestion[] | 'loading' | undefined;
  /** The token form: inserting a field or condition, or editing the chip at `pos`. */
  declare private form: { kind: 'field' | 'condition'; source?: string; pos?: number; target: string } | undefined;
  /** The link address as typed (kept while it is not yet a complete URL). */
  declare private href: string | undefined;

  constructor() {
    super();
    this.rev = 0;
    this.picking = false;
    this.suggestions = undefined;
    this.form = undefined;
    this.href = undefined;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private get id_(): string {
    return domId('slot', this.instanceId, this.def.id);
  }

  private editable(property: string): boolean {
    return !this.session.readOnly && canEdit(this.def, this.module, property);
  }

  private set(value: Parameters<DraftSession['setSlot']>[2]): void {
    void this.session.setSlot(this.instanceId, this.def.id, value);
  }

  private findings(): Diagnostic[] {
    const { locale } = this.session;
    return this.session.diagnostics.filter(
      (d) =>
        d.location.instanceId === this.instanceId &&
        d.location.slotId === this.def.id &&
        (d.location.locale === undefined || d.location.locale === locale),
    );
  }

  private header(count?: { n: number; max?: number }): TemplateResult {
    const slot = this.def;
    const lockedAll =
      !this.session.readOnly &&
      !['text', 'src', 'alt', 'href', 'color', 'visible', 'value'].some((p) => canEdit(slot, this.module, p));
    return html`<div class="slot-head">
      <span class="label" id="${this.id_}-label"
        >${slot.label ?? humanize(slot.id)}${
          slot.required
            ? html`<span class="required" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>`
            : nothing
        }</span
      >
      ${
        count === undefined
          ? nothing
          : html`<span
              class="counter ${count.max !== undefined && count.n > count.max ? 'over' : ''}"
              id="${this.id_}-count"
              >${count.n}${count.max === undefined ? '' : ` / ${count.max}`}<span class="visually-hidden">
                characters</span
              ></span
            >`
      }
      ${lockedAll ? html`<span class="badge" title="Locked by the hub">Locked</span>` : nothing}
    </div>`;
  }

  private inheritance(): TemplateResult {
    const shown = slotValueIn(
      this.session.template,
      this.session.draft,
      this.session.locale,
      this.instanceId,
      this.def,
    );
    const { locale, draft } = this.session;
    if (shown.own) {
      if (locale === draft.defaultLocale || this.session.readOnly)
        return html`<span id="${this.id_}-inherit" hidden></span>`;
      return html`<p class="hint inherit" id="${this.id_}-inherit">
        Translated for ${locale}.
        <button
          type="button"
          class="btn quiet small"
          @click=${() => {
            this.set(undefined);
          }}
        >
          Use the ${draft.defaultLocale} text again
        </button>
      </p>`;
    }
    return html`<p class="hint inherit" id="${this.id_}-inherit">
      ${shown.from === undefined ? 'The template’s default.' : `Inherited from ${shown.from}.`}
      ${this.session.readOnly ? nothing : 'Edit to change it here.'}
    </p>`;
  }

  private describedBy(extra: string[] = []): string {
    return [`${this.id_}-inherit`, `${this.id_}-help`, `${this.id_}-findings`, ...extra].join(' ');
  }

  private tokenActions(target: string): TemplateResult | typeof nothing {
    if (this.session.readOnly || this.session.hub.fields.length === 0) return nothing;
    return html`<div class="row actions">
        <button
          type="button"
          class="btn quiet small"
          aria-expanded=${this.form?.kind === 'field' && this.form.pos === undefined ? 'true' : 'false'}
          @click=${() => (this.form = this.form?.kind === 'field' ? undefined : { kind: 'field', target })}
        >
          Insert field
        </button>
        <button
          type="button"
          class="btn quiet small"
          aria-expanded=${this.form?.kind === 'condition' && this.form.pos === undefined ? 'true' : 'false'}
          @click=${() => (this.form = this.form?.kind === 'condition' ? undefined : { kind: 'condition', target })}
        >
          Show to a segment
        </button>
      </div>
      ${
        this.form?.target !== target
          ? nothing
          : html`<hs-token-form
              .fields=${this.session.hub.fields}
              .kind=${this.form.kind}
              .source=${this.form.source ?? ''}
              .formId=${`${this.id_}-${target}-form`}
              @hs-token=${(e: CustomEvent<{ source: string }>) => {
                const editor = this.querySelector<HsTokenEditor>(`hs-token-editor[data-target="${target}"]`);
                editor?.insertToken(e.detail.source, this.form?.pos);
                this.form = undefined;
              }}
              @hs-cancel=${() => (this.form = undefined)}
            ></hs-token-form>`
      }`;
  }

  private tokenEditor(
    target: string,
    value: string,
    mode: 'line' | 'multiline' | 'rich',
    onValue: (v: string) => void,
    editable: boolean,
    labelledBy: string,
    extra: string[] = [],
  ): TemplateResult {
    const invalid = this.findings().some((d) => d.severity === 'error');
    return html`<hs-token-editor
        data-target=${target}
        .value=${value}
        .mode=${mode}
        .allowed=${allowedTagsOf(this.def)}
        .fields=${this.session.hub.fields}
        .disabled=${!editable}
        .invalid=${invalid}
        .labelledBy=${labelledBy}
        .describedBy=${this.describedBy(extra)}
        @hs-value=${(e: CustomEvent<{ value: string }>) => {
          onValue(e.detail.value);
        }}
        @hs-edit-token=${(e: CustomEvent<{ source: string; pos: number }>) => {
          const kind = e.detail.source.startsWith('{%') ? 'condition' : 'field';
          this.form = { kind, source: e.detail.source, pos: e.detail.pos, target };
        }}
      ></hs-token-editor>
      ${editable ? this.tokenActions(target) : nothing}`;
  }

  private control(): TemplateResult {
    const slot = this.def;
    const shown = slotValueIn(this.session.template, this.session.draft, this.session.locale, this.instanceId, slot);
    switch (slot.kind) {
      case 'text': {
        const value = typeof shown.value === 'string' ? shown.value : '';
        return html`${this.header({ n: visibleLength(value), ...(slot.maxLength === undefined ? {} : { max: slot.maxLength }) })}
        ${this.inheritance()}
        ${this.tokenEditor(
          'text',
          value,
          slot.multiline ? 'multiline' : 'line',
          (v) => {
            this.set(v);
          },
          this.editable('text'),
          `${this.id_}-label`,
          [`${this.id_}-count`],
        )}`;
      }
      case 'richText': {
        const value = typeof shown.value === 'string' ? shown.value : '';
        const plain = value.replace(/<[^>]*>/g, '');
        return html`${this.header({ n: visibleLength(plain), ...(slot.maxLength === undefined ? {} : { max: slot.maxLength }) })}
        ${this.inheritance()}
        ${this.tokenEditor(
          'text',
          value,
          'rich',
          (v) => {
            this.set(v);
          },
          this.editable('text'),
          `${this.id_}-label`,
          [`${this.id_}-count`],
        )}`;
      }
      case 'link':
        return this.linkControl(shown.value as LinkValue | undefined);
      case 'image':
        return this.imageControl(shown.value as ImageValue | undefined);
      case 'color': {
        const value = typeof shown.value === 'string' ? shown.value.toLowerCase() : '';
        const editable = this.editable('color');
        return html`<fieldset class="swatches" aria-describedby=${this.describedBy()}>
          <legend class="label">${slot.label ?? humanize(slot.id)}</legend>
          ${this.inheritance()}
          <div class="row">
            ${this.session.hub.brandKit.palette.map(
              (c) =>
                html`<label class="swatch" title="${c.name} ${c.hex}">
                  <input
                    type="radio"
                    name="${this.id_}-color"
                    .value=${c.hex}
                    .checked=${c.hex.toLowerCase() === value}
                    ?disabled=${!editable}
                    @change=${() => {
                      this.set(c.hex.toLowerCase());
                    }}
                  />
                  <span class="chipcolor" style="background:${c.hex}"></span>
                  <span class="swatch-name">${c.name}</span>
                </label>`,
            )}
          </div>
        </fieldset>`;
      }
      case 'boolean': {
        const on = shown.value !== false;
        return html`<label class="switch">
            <input
              type="checkbox"
              role="switch"
              .checked=${on}
              ?disabled=${!this.editable('visible')}
              aria-describedby=${this.describedBy()}
              @change=${(e: Event) => {
                this.set((e.target as HTMLInputElement).checked);
              }}
            />
            <span class="label">${slot.label ?? humanize(slot.id)}</span>
          </label>
          ${this.inheritance()}`;
      }
      case 'list': {
        const value = typeof shown.value === 'string' ? shown.value : (slot.default ?? slot.options[0] ?? '');
        return html`${this.header()} ${this.inheritance()}
          <select
            aria-labelledby="${this.id_}-label"
            aria-describedby=${this.describedBy()}
            ?disabled=${!this.editable('value')}
            @change=${(e: Event) => {
              this.set((e.target as HTMLSelectElement).value);
            }}
          >
            ${slot.options.map((o) => html`<option .value=${o} ?selected=${o === value}>${o}</option>`)}
          </select>`;
      }
    }
  }

  private linkControl(value: LinkValue | undefined): TemplateResult {
    const slot = this.def;
    if (slot.kind !== 'link') return html``;
    const link = value ?? { href: '', text: '' };
    const href = this.href ?? link.href;
    const policy = linkPolicy(href, slot, this.session.hub.brandKit);
    const textEditable = this.editable('text');
    const hrefEditable = this.editable('href');
    return html`${this.header({ n: visibleLength(link.text), ...(slot.maxTextLength === undefined ? {} : { max: slot.maxTextLength }) })}
      ${this.inheritance()}
      <span class="sublabel" id="${this.id_}-textlabel">Link text</span>
      ${this.tokenEditor(
        'text',
        link.text,
        'line',
        (text) => {
          this.set({ ...link, href: this.href ?? link.href, text });
        },
        textEditable,
        `${this.id_}-label ${this.id_}-textlabel`,
        [`${this.id_}-count`],
      )}
      <label class="sublabel" for="${this.id_}-href">Web address</label>
      <input
        id="${this.id_}-href"
        type="url"
        .value=${href}
        ?disabled=${!hrefEditable}
        aria-describedby="${this.id_}-policy ${this.describedBy()}"
        aria-invalid=${policy.ok ? 'false' : 'true'}
        @input=${(e: Event) => {
          const next = (e.target as HTMLInputElement).value;
          this.href = next;
          const current = slotValueIn(
            this.session.template,
            this.session.draft,
            this.session.locale,
            this.instanceId,
            slot,
          ).value as LinkValue | undefined;
          this.set({ text: current?.text ?? link.text, href: next });
        }}
        @blur=${() => (this.href = undefined)}
      />
      <p class="policy ${policy.ok ? 'ok' : 'bad'}" id="${this.id_}-policy" aria-live="polite">
        <span aria-hidden="true">${policy.ok ? '✓' : '✗'}</span> ${policy.message}
      </p>`;
  }

  private imageControl(value: ImageValue | undefined): TemplateResult {
    const slot = this.def;
    if (slot.kind !== 'image') return html``;
    const { session } = this;
    const image = value ?? { src: '' };
    const srcEditable = this.editable('src');
    const altEditable = this.editable('alt');
    const choices = assetChoices(session.hub.brandKit, slot, session.draft.region, session.now());
    const usable = choices.filter((c) => c.usable);
    const hidden = choices.filter((c) => !c.usable);
    const current = session.hub.brandKit.assets.find((a) => a.id === image.assetId || a.url === image.src);
    const altRequired = slot.requireAlt;
    return html`${this.header()} ${this.inheritance()}
      <div class="image-row">
        ${
          image.src === ''
            ? html`<div class="thumb empty">No image</div>`
            : html`<img class="thumb" src=${image.src} alt="" />`
        }
        <div class="stack">
          <p>
            ${current ? html`<strong>${current.id}</strong> from the brand library` : image.src === '' ? 'No image chosen' : 'An image from the template'}
          </p>
          ${
            srcEditable
              ? html`<button
                  type="button"
                  class="btn small"
                  aria-expanded=${this.picking ? 'true' : 'false'}
                  aria-controls="${this.id_}-library"
                  @click=${() => (this.picking = !this.picking)}
                >
                  Choose from the brand library
                </button>`
              : html`<span class="hint">The hub fixed this image.</span>`
          }
        </div>
      </div>
      ${
        this.picking
          ? html`<fieldset class="library" id="${this.id_}-library">
              <legend>Approved images for ${session.draft.region ?? 'every region'}</legend>
              ${usable.length === 0 ? html`<p class="muted">No approved image fits this place.</p>` : nothing}
              <div class="grid">
                ${usable.map(
                  ({ asset }) =>
                    html`<label class="asset">
                      <input
                        type="radio"
                        name="${this.id_}-asset"
                        .value=${asset.id}
                        .checked=${asset.id === current?.id}
                        @change=${() => {
                          const alt = assetAlt(asset, session.locale) ?? image.alt ?? '';
                          this.set({ src: asset.url, alt, assetId: asset.id });
                          this.picking = false;
                        }}
                      />
                      <img src=${asset.url} alt="" />
                      <span>${asset.id}</span>
                      <span class="hint">${assetAlt(asset, session.locale) ?? 'No alt text yet'}</span>
                    </label>`,
                )}
              </div>
              ${
                hidden.length === 0
                  ? nothing
                  : html`<details>
                      <summary>${hidden.length} image${hidden.length === 1 ? '' : 's'} not available here</summary>
                      <ul class="plain">
                        ${hidden.map((c) => html`<li><strong>${c.asset.id}</strong>: ${c.reason}</li>`)}
                      </ul>
                    </details>`
              }
            </fieldset>`
          : nothing
      }
      <label class="sublabel" for="${this.id_}-alt"
        >Alt
        text${
          altRequired
            ? html`<span class="required" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>`
            : nothing
        }</label
      >
      <input
        id="${this.id_}-alt"
        type="text"
        .value=${image.alt ?? ''}
        ?disabled=${!altEditable}
        ?required=${altRequired}
        aria-describedby=${this.describedBy()}
        @input=${(e: Event) => {
          this.set({ ...image, alt: (e.target as HTMLInputElement).value });
        }}
      />
      ${
        altEditable && session.hub.assist.altText && session.source.altText && image.src !== ''
          ? this.suggestionsBlock(
              'Suggest alt text',
              async () =>
                (await session.source.altText?.(
                  { src: image.src, ...(image.assetId === undefined ? {} : { assetId: image.assetId }) },
                  session.locale,
                  { draft: session.draft, instanceId: this.instanceId, slotId: this.def.id },
                )) ?? [],
              (text) => {
                this.set({ ...image, alt: text });
              },
            )
          : nothing
      }`;
  }

  private suggestionsBlock(
    label: string,
    load: () => Promise<Suggestion[]>,
    use: (text: string) => void,
  ): TemplateResult {
    const list = this.suggestions;
    return html`<div class="assist">
      <button
        type="button"
        class="btn small"
        ?disabled=${list === 'loading'}
        @click=${async () => {
          this.suggestions = 'loading';
          try {
            this.suggestions = await load();
          } catch {
            this.suggestions = [];
          }
        }}
      >
        ${label}
      </button>
      ${
        list === 'loading'
          ? html`<span class="row muted" role="status"><span class="spinner small"></span> Asking the assistant…</span>`
          : list === undefined
            ? nothing
            : html`<ul class="suggestions" aria-label="Suggestions">
                ${list.length === 0 ? html`<li class="muted">No suggestion this time.</li>` : nothing}
                ${list.map(
                  (s) =>
                    html`<li>
                      <span>${s.text}</span>
                      ${
                        s.diagnostics.length === 0
                          ? html`<span class="badge ok">Brand check passed</span>`
                          : html`<span
                              class="badge ${s.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'warning'}"
                              >${s.diagnostics.length} brand finding${s.diagnostics.length === 1 ? '' : 's'}:
                              ${s.diagnostics.map((d) => d.message).join('; ')}</span
                            >`
                      }
                      <button
                        type="button"
                        class="btn small"
                        @click=${() => {
                          use(s.text);
                          this.suggestions = undefined;
                        }}
                      >
                        Use
                      </button>
                    </li>`,
                )}
              </ul>`
      }
    </div>`;
  }

  private comments(): TemplateResult | typeof nothing {
    const submission = this.session.submission;
    if (!submission) return nothing;
    const roots = submission.comments.filter(
      (c) => c.parentId === undefined && c.anchor?.instanceId === this.instanceId && c.anchor.slotId === this.def.id,
    );
    if (roots.length === 0) return nothing;
    return html`<ul class="comments" aria-label="Reviewer comments on this slot">
      ${roots.map((c) => {
        const replies = submission.comments.filter((r) => r.parentId === c.id);
        return html`<li class="comment ${c.resolved ? 'resolved' : ''}">
          <p><strong>${c.author}</strong> <span class="muted small">round ${c.round}</span></p>
          <p>${c.text}</p>
          ${replies.map((r) => html`<p class="reply"><strong>${r.author}</strong>: ${r.text}</p>`)}
          ${
            c.resolved
              ? html`<span class="badge ok">Resolved</span>`
              : this.session.status === 'returned'
                ? html`<form
                    class="row"
                    @submit=${async (e: Event) => {
                      e.preventDefault();
                      const input = (e.target as HTMLFormElement).querySelector('input');
                      if (input && input.value.trim() !== '') {
                        await this.session.reply(c.id, input.value);
                        input.value = '';
                      }
                    }}
                  >
                    <label class="visually-hidden" for="${this.id_}-reply-${c.id}">Reply to ${c.author}</label>
                    <input id="${this.id_}-reply-${c.id}" type="text" placeholder="Reply" />
                    <button type="submit" class="btn small">Reply</button>
                    <button
                      type="button"
                      class="btn small primary"
                      @click=${() => void this.session.resolveComment(c.id)}
                    >
                      Resolve
                    </button>
                  </form>`
                : nothing
          }
        </li>`;
      })}
    </ul>`;
  }

  protected override render() {
    const findings = this.findings();
    return html`<div
      class="slot ${findings.some((d) => d.severity === 'error') ? 'has-error' : ''}"
      id=${this.id_}
      data-slot="${this.instanceId}/${this.def.id}"
    >
      ${this.control()}
      ${
        this.def.help === undefined
          ? html`<span id="${this.id_}-help" hidden></span>`
          : html`<p class="hint" id="${this.id_}-help">${this.def.help}</p>`
      }
      <ul class="findings" id="${this.id_}-findings" aria-label="Findings">
        ${findings.map((d) => findingItem(this.session, d, this.session.readOnly))}
      </ul>
      ${this.comments()}
    </div>`;
  }
}
