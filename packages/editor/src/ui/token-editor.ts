import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { NodeSelection } from '@tiptap/pm/state';
import type { PersonalizationField } from '../source/types.js';
import { chipLabel } from '../model/tokens.js';
import {
  Editor,
  Token,
  chipTypedTokens,
  docToHtml,
  docToText,
  plainExtensions,
  richExtensions,
  textToDoc,
} from './tiptap.js';

export type TokenEditorMode = 'line' | 'multiline' | 'rich';

/** Fired on every change with the value in the neutral syntax. */
export interface ValueEvent {
  value: string;
}

/** Fired when a chip is opened for editing (click, or Enter on a selected chip). */
export interface EditTokenEvent {
  source: string;
  pos: number;
}

/**
 * A text box where personalization tokens are chips: built on Tiptap (ProseMirror), restricted
 * to the slot's allowed tags in rich mode, so it cannot produce markup the sanitizer would drop.
 * Typing `{{ contact.firstName }}` still works: it becomes a chip as soon as it parses. Renders
 * into its host's tree (no shadow root of its own), so labels and descriptions link by id.
 */
export class HsTokenEditor extends LitElement {
  static override properties = {
    value: {},
    mode: {},
    allowed: { attribute: false },
    fields: { attribute: false },
    disabled: { type: Boolean },
    labelledBy: {},
    describedBy: {},
    invalid: { type: Boolean },
    linkUrl: { state: true },
  };
  declare value: string;
  declare mode: TokenEditorMode;
  declare allowed: string[];
  declare fields: PersonalizationField[];
  declare disabled: boolean;
  declare labelledBy: string;
  declare describedBy: string;
  declare invalid: boolean;

  private editor: Editor | undefined;
  private current = '';
  /**
   * Values this editor emitted that the host may still echo back (it applies edits
   * asynchronously, so while typing it can pass an older value): those never reload the text.
   */
  private readonly echoes = new Set<string>();
  declare private linkUrl: string | undefined;

  constructor() {
    super();
    this.value = '';
    this.mode = 'line';
    this.allowed = [];
    this.fields = [];
    this.disabled = false;
    this.labelledBy = '';
    this.describedBy = '';
    this.invalid = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private serialize(): string {
    if (!this.editor) return this.value;
    return this.mode === 'rich' ? docToHtml(this.editor.state.doc, this.allowed) : docToText(this.editor.state.doc);
  }

  private load(value: string): void {
    if (!this.editor) return;
    if (this.mode === 'rich') {
      this.editor.commands.setContent(value, { emitUpdate: false });
      chipTypedTokens(this.editor);
    } else this.editor.commands.setContent(textToDoc(value, this.mode === 'multiline'), { emitUpdate: false });
    this.current = this.serialize();
  }

  protected override firstUpdated(): void {
    const host = this.querySelector<HTMLElement>('.pm-host');
    if (!host) return;
    const label = (source: string) => chipLabel(source, this.fields);
    this.editor = new Editor({
      element: host,
      injectCSS: false,
      // Tiptap's `delete` extension diffs every transaction's steps to emit `delete` events,
      // which nothing here listens to (~0.4 ms of every keystroke).
      enableCoreExtensions: { delete: false },
      editable: !this.disabled,
      extensions: [
        ...(this.mode === 'rich' ? richExtensions(this.allowed) : plainExtensions(this.mode === 'multiline')),
        Token.configure({ label }),
      ],
      editorProps: {
        attributes: this.attributesFor(),
        handleClickOn: (_view, pos, node) => {
          if (node.type.name !== 'token') return false;
          this.openToken(pos, String(node.attrs.source));
          return true;
        },
        handleKeyDown: (view, event) => {
          const sel = view.state.selection;
          if (event.key === 'Enter' && sel instanceof NodeSelection && sel.node.type.name === 'token') {
            this.openToken(sel.from, String(sel.node.attrs.source));
            return true;
          }
          return false;
        },
      },
      onUpdate: () => {
        if (this.editor && chipTypedTokens(this.editor)) return; // the chip transaction calls onUpdate again
        const next = this.serialize();
        if (next === this.current) return;
        this.current = next;
        this.echoes.add(next);
        if (this.echoes.size > 200) this.echoes.delete(this.echoes.values().next().value ?? next);
        this.dispatchEvent(new CustomEvent<ValueEvent>('hs-value', { detail: { value: next }, bubbles: true }));
      },
      onSelectionUpdate: () => {
        if (this.mode === 'rich') this.requestUpdate();
      },
    });
    this.load(this.value);
    this.requestUpdate();
  }

  private attributesFor(): Record<string, string> {
    return {
      class: `pm${this.invalid ? ' invalid' : ''}`,
      role: 'textbox',
      'aria-multiline': String(this.mode !== 'line'),
      ...(this.labelledBy === '' ? {} : { 'aria-labelledby': this.labelledBy }),
      ...(this.describedBy === '' ? {} : { 'aria-describedby': this.describedBy }),
      ...(this.invalid ? { 'aria-invalid': 'true' } : {}),
      ...(this.disabled ? { 'aria-readonly': 'true' } : {}),
    };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.editor) return;
    if (changed.has('value') && this.value !== this.current && !this.echoes.has(this.value)) {
      this.echoes.clear();
      this.load(this.value);
    }
    if (changed.has('disabled')) this.editor.setEditable(!this.disabled, false);
    if (changed.has('invalid') || changed.has('describedBy') || changed.has('disabled'))
      this.editor.setOptions({ editorProps: { ...this.editor.options.editorProps, attributes: this.attributesFor() } });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.editor?.destroy();
    this.editor = undefined;
  }

  private openToken(pos: number, source: string): void {
    if (this.disabled) return;
    this.dispatchEvent(new CustomEvent<EditTokenEvent>('hs-edit-token', { detail: { pos, source }, bubbles: true }));
  }

  /** Inserts a token chip at the caret (or replaces the chip at `pos`). */
  insertToken(source: string, pos?: number): void {
    const editor = this.editor;
    if (!editor) return;
    const chip = { type: 'token', attrs: { source } };
    if (pos === undefined) editor.chain().focus().insertContent(chip).run();
    else editor.chain().focus().setNodeSelection(pos).insertContent(chip).run();
  }

  override focus(): void {
    this.editor?.commands.focus();
  }

  /** The text the spoke has typed so far, as the slot will store it. */
  get valueNow(): string {
    return this.serialize();
  }

  private toolbar() {
    const editor = this.editor;
    const has = (...tags: string[]) => tags.some((t) => this.allowed.includes(t));
    const button = (label: string, active: boolean, run: () => void, show: boolean) =>
      show
        ? html`<button
            type="button"
            class="btn small tool"
            aria-pressed=${active ? 'true' : 'false'}
            ?disabled=${this.disabled || !editor}
            @click=${run}
          >
            ${label}
          </button>`
        : nothing;
    const chain = () => editor?.chain().focus();
    const levels = ([2, 3] as const).filter((n) => has(`h${n}`));
    return html`<div class="toolbar" role="toolbar" aria-label="Formatting">
        ${button('Bold', editor?.isActive('bold') ?? false, () => chain()?.toggleBold().run(), has('strong', 'b'))}
        ${button('Italic', editor?.isActive('italic') ?? false, () => chain()?.toggleItalic().run(), has('em', 'i'))}
        ${button('Underline', editor?.isActive('underline') ?? false, () => chain()?.toggleUnderline().run(), has('u'))}
        ${button('Strike', editor?.isActive('strike') ?? false, () => chain()?.toggleStrike().run(), has('s'))}
        ${levels.map((n) =>
          button(
            `Heading ${n}`,
            editor?.isActive('heading', { level: n }) ?? false,
            () => chain()?.toggleHeading({ level: n }).run(),
            true,
          ),
        )}
        ${button(
          'Bulleted list',
          editor?.isActive('bulletList') ?? false,
          () => chain()?.toggleBulletList().run(),
          has('ul') && has('li'),
        )}
        ${button(
          'Numbered list',
          editor?.isActive('orderedList') ?? false,
          () => chain()?.toggleOrderedList().run(),
          has('ol') && has('li'),
        )}
        ${button('Quote', editor?.isActive('blockquote') ?? false, () => chain()?.toggleBlockquote().run(), has('blockquote'))}
        ${button(
          'Link',
          editor?.isActive('link') ?? false,
          () => (this.linkUrl = String(editor?.getAttributes('link').href ?? 'https://')),
          has('a'),
        )}
      </div>
      ${
        this.linkUrl === undefined
          ? nothing
          : html`<form
              class="row link-form"
              @submit=${(e: Event) => {
                e.preventDefault();
                const url = this.linkUrl ?? '';
                if (url === '' || url === 'https://') chain()?.unsetLink().run();
                else chain()?.extendMarkRange('link').setLink({ href: url }).run();
                this.linkUrl = undefined;
              }}
            >
              <label class="visually-hidden" for="${this.labelledBy}-link">Link address</label>
              <input
                id="${this.labelledBy}-link"
                type="url"
                .value=${this.linkUrl}
                @input=${(e: Event) => (this.linkUrl = (e.target as HTMLInputElement).value)}
              />
              <button class="btn small primary" type="submit">Apply link</button>
              <button class="btn small" type="button" @click=${() => (this.linkUrl = undefined)}>Cancel</button>
            </form>`
      }`;
  }

  protected override render() {
    return html`${this.mode === 'rich' ? this.toolbar() : nothing}
      <div class="pm-host ${this.mode}"></div>`;
  }
}
