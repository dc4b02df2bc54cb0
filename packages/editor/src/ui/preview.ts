import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { SampleContact } from '@hubspoke/core';
import { darkPreview } from '@hubspoke/template-engine/fill';
import { applyDarkMode } from './dark-mode.js';
import { applySlot, morphDocument, slotMarkup } from './morph.js';

export type Scheme = 'light' | 'dark';

const WIDTHS = [
  { width: 600, label: 'Desktop, 600 px' },
  { width: 375, label: 'Mobile, 375 px' },
] as const;

/** What a frame shows that no HTML equals: it is redrawn in full when it catches up. */
const STALE = '\u0000stale';

/** Whether any of the frame is inside the viewport (what the observer reports, clipping aside). */
function onScreen(frame: HTMLIFrameElement): boolean {
  const r = frame.getBoundingClientRect();
  return r.bottom >= 0 && r.right >= 0 && r.top <= innerHeight && r.left <= innerWidth;
}

/**
 * The live preview: the rendered email at 600 and 375 px, light or dark, for a sample contact.
 * Frames are sandboxed without scripts; each update patches the frames' documents in place.
 * In dark mode the email's own `prefers-color-scheme` styles apply (the frame's colour scheme
 * is dark); an email without any gets a simulated inversion, like Gmail's apps, and says so.
 * Fires `hs-contact` and `hs-scheme` when the spoke changes them, `hs-pick-slot` when a slot
 * in the email is clicked.
 */
export class HsPreview extends LitElement {
  static override properties = {
    contacts: { attribute: false },
    contactId: {},
    scheme: {},
    subject: {},
    preheader: {},
    compact: { type: Boolean },
    simulated: { state: true },
  };
  declare contacts: SampleContact[];
  declare contactId: string | undefined;
  declare scheme: Scheme;
  declare subject: string;
  declare preheader: string;
  /** Frames only (no contact picker, scheme switch or envelope): for side-by-side comparisons. */
  declare compact: boolean;
  declare private simulated: boolean;

  private html = '';
  /** The slot of the last one-slot update (a frame that is behind tries it first). */
  private lastSlot: string | undefined;
  private highlighted: string | undefined;
  /** Called after the frames on screen were patched (the bench times keystroke → frame with it). */
  onFramesUpdated: ((at: number) => void) | undefined;
  /** Per frame: the (light) HTML it shows, and whether it is on screen or near it. */
  private readonly state = new WeakMap<HTMLIFrameElement, { html: string; visible: boolean }>();
  private observer: IntersectionObserver | undefined;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.contacts = [];
    this.contactId = undefined;
    this.scheme = 'light';
    this.subject = '';
    this.preheader = '';
    this.compact = false;
    this.simulated = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /**
   * The HTML the frames show: in dark mode, the email's own dark rules applied (a frame's
   * colour scheme does not switch the email's dark media query in Chromium).
   */
  private shown(html = this.html): string {
    return (this.scheme === 'dark' ? darkPreview(html) : undefined) ?? html;
  }

  private frames(): HTMLIFrameElement[] {
    return Array.from(this.querySelectorAll<HTMLIFrameElement>('iframe.email'));
  }

  private stateOf(frame: HTMLIFrameElement): { html: string; visible: boolean } {
    let state = this.state.get(frame);
    if (!state) {
      // Until the observer says: where the frame is now (opening a draft fills only the frames on
      // screen; the 375 px one below the fold follows, as after a keystroke). Without an observer
      // every frame counts as visible.
      state = { html: '', visible: this.observer === undefined || onScreen(frame) };
      this.state.set(frame, state);
      this.observer?.observe(frame);
    }
    return state;
  }

  /**
   * Shows new HTML in the frames (patched in place). With `slot` (`instance/slot`, after a
   * one-slot edit), only that slot's element is patched when nothing else in the HTML changed.
   * A frame off screen (the 375 px one below the 600 px one, say) is not patched in the
   * keystroke's frame: it catches up when it scrolls into view or typing pauses.
   */
  show(next: string, slot?: string): void {
    if (next === this.html) return;
    const previous = this.html;
    this.html = next;
    this.lastSlot = slot;
    // Worked out on what the frames show: in dark mode that is the dark preview, a different
    // string from the light HTML (its rewrites may reach into a slot's text).
    const markup = slot === undefined ? undefined : slotMarkup(this.shown(previous), this.shown(next), slot);
    let behind = false;
    for (const frame of this.frames()) {
      const state = this.stateOf(frame);
      if (!state.visible) behind = true;
      else if (state.html === previous)
        this.patch(frame, slot === undefined || markup === undefined ? undefined : { slot, markup });
      else this.catchUp(frame);
    }
    this.onFramesUpdated?.(performance.now());
    if (behind) this.scheduleCatchUp();
  }

  /** Brings a frame that missed updates to the current HTML (one slot if only that slot changed). */
  private catchUp(frame: HTMLIFrameElement): void {
    const state = this.stateOf(frame);
    if (state.html === this.html) return;
    const slot = this.lastSlot;
    const markup = slot === undefined ? undefined : slotMarkup(this.shown(state.html), this.shown(), slot);
    this.patch(frame, slot === undefined || markup === undefined ? undefined : { slot, markup });
  }

  /** Frames off screen catch up once typing pauses. */
  private scheduleCatchUp(): void {
    clearTimeout(this.catchUpTimer);
    this.catchUpTimer = setTimeout(() => {
      for (const frame of this.frames()) this.catchUp(frame);
    }, 300);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof IntersectionObserver !== 'function') return;
    // No margin: the 375 px frame just below the fold is off screen too. A frame scrolled into
    // view while typing catches up in the next frame.
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const frame = entry.target as HTMLIFrameElement;
        const state = this.stateOf(frame);
        state.visible = entry.isIntersecting;
        if (state.visible) this.catchUp(frame);
      }
    });
    for (const frame of this.frames()) this.observer.observe(frame);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
    clearTimeout(this.catchUpTimer);
  }

  private patch(frame: HTMLIFrameElement, only?: { slot: string; markup: string }): void {
    const doc = frame.contentDocument;
    if (!doc) return;
    if (!only || !applySlot(doc, only.slot, only.markup)) morphDocument(doc, this.shown());
    this.stateOf(frame).html = this.html;
    if (this.scheme === 'dark' && this.simulated) applyDarkMode(doc);
    if (this.highlighted !== undefined) this.mark(doc, this.highlighted);
    this.attach(doc);
    requestAnimationFrame(() => {
      frame.style.height = `${Math.max(240, doc.documentElement.scrollHeight)}px`;
    });
  }

  private attach(doc: Document): void {
    if ((doc as Document & { hsAttached?: boolean }).hsAttached === true) return;
    (doc as Document & { hsAttached?: boolean }).hsAttached = true;
    doc.addEventListener('click', (event) => {
      const target = (event.target as Element | null)?.closest('[data-hs-slot]');
      event.preventDefault(); // links in the preview go nowhere
      const slot = target?.getAttribute('data-hs-slot');
      if (slot)
        this.dispatchEvent(new CustomEvent('hs-pick-slot', { detail: { slot }, bubbles: true, composed: true }));
    });
  }

  private mark(doc: Document, slot: string): void {
    for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-hs-focus]'))) {
      el.removeAttribute('data-hs-focus');
      el.style.removeProperty('outline');
      el.style.removeProperty('outline-offset');
    }
    const target = doc.querySelector<HTMLElement>(`[data-hs-slot="${CSS.escape(slot)}"]`);
    if (!target) return;
    target.setAttribute('data-hs-focus', '');
    target.style.setProperty('outline', '3px solid #d6336c');
    target.style.setProperty('outline-offset', '2px');
  }

  /** Outlines a slot (`instanceId/slotId`) in both frames and scrolls it into view. */
  highlight(slot: string | undefined): void {
    this.highlighted = slot;
    for (const frame of this.frames()) {
      const doc = frame.contentDocument;
      if (!doc || slot === undefined) continue;
      this.mark(doc, slot);
      doc.querySelector(`[data-hs-slot="${CSS.escape(slot)}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('scheme')) {
      const dark = this.scheme === 'dark';
      // The first light update: `firstUpdated` just filled the frames on screen.
      const first = changed.get('scheme') === undefined && !dark;
      this.simulated = dark && darkPreview(this.html) === undefined;
      let behind = false;
      for (const frame of this.frames()) {
        frame.style.colorScheme = dark ? 'dark' : 'light';
        const doc = frame.contentDocument;
        if (!doc || first) continue;
        const state = this.stateOf(frame);
        if (!state.visible) {
          // Redrawn in the new scheme when it comes into view or after a pause (`catchUp`).
          state.html = STALE;
          behind = true;
          continue;
        }
        if (!dark || !this.simulated || state.html !== this.html) morphDocument(doc, this.shown());
        if (dark && this.simulated) applyDarkMode(doc);
        state.html = this.html;
      }
      if (behind) this.scheduleCatchUp();
    }
  }

  protected override firstUpdated(): void {
    let behind = false;
    for (const frame of this.frames())
      if (this.stateOf(frame).visible) this.patch(frame);
      else behind = true;
    if (behind) this.scheduleCatchUp();
  }

  protected override render() {
    const frames = html`<div class="frames">
      ${WIDTHS.map(
        (w) =>
          html`<figure>
            <figcaption>${w.label}</figcaption>
            <iframe
              class="email"
              width=${w.width}
              title="Email preview, ${w.label}"
              sandbox="allow-same-origin"
            ></iframe>
          </figure>`,
      )}
    </div>`;
    if (this.compact) return frames;
    return html`<div class="preview-bar row">
        <label for="hs-contact">Preview as</label>
        <select
          id="hs-contact"
          @change=${(e: Event) =>
            this.dispatchEvent(
              new CustomEvent('hs-contact', { detail: { id: (e.target as HTMLSelectElement).value || undefined } }),
            )}
        >
          <option value="" ?selected=${this.contactId === undefined}>Nobody (fallbacks)</option>
          ${this.contacts.map(
            (c) => html`<option .value=${c.id} ?selected=${c.id === this.contactId}>${c.label ?? c.id}</option>`,
          )}
        </select>
        <fieldset class="segmented">
          <legend class="visually-hidden">Colour scheme</legend>
          ${(['light', 'dark'] as const).map(
            (s) =>
              html`<label
                ><input
                  type="radio"
                  name="hs-scheme"
                  .value=${s}
                  .checked=${this.scheme === s}
                  @change=${() => this.dispatchEvent(new CustomEvent('hs-scheme', { detail: { scheme: s } }))}
                />${s === 'light' ? 'Light' : 'Dark'}</label
              >`,
          )}
        </fieldset>
      </div>
      <dl class="envelope">
        <dt>Subject</dt>
        <dd data-testid="preview-subject">${this.subject}</dd>
        <dt>Preheader</dt>
        <dd>${this.preheader === '' ? html`<span class="muted">none</span>` : this.preheader}</dd>
      </dl>
      ${
        this.simulated
          ? html`<p class="hint" role="status">
              This email has no dark-mode styles: showing a simulated inversion, as Gmail’s apps do.
            </p>`
          : nothing
      }
      ${frames}`;
  }
}
