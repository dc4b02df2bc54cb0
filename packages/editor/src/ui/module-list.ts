import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { ModuleInstance } from '@hubspoke/core';
import { canEdit } from '@hubspoke/template-engine/fill';
import type { DraftSession } from '../model/session.js';
import { domId } from './slot-field.js';

/**
 * The draft's modules as a list the spoke composes: expand a module to fill its slots; add,
 * hide, remove and reorder where the template allows it. Reordering works by drag and drop and,
 * for keyboards and single pointers, through each module's Move menu; every move is announced.
 * Pinned and locked modules say why they are fixed.
 */
export class HsModuleList extends LitElement {
  static override properties = {
    session: { attribute: false },
    rev: { type: Number },
    expanded: { state: true },
    menu: { state: true },
    announcement: { state: true },
    dragging: { state: true },
    dropAt: { state: true },
  };
  declare session: DraftSession;
  declare rev: number;
  declare private expanded: Set<string>;
  declare private menu: string | undefined;
  declare private announcement: string;
  declare private dragging: string | undefined;
  declare private dropAt: number | undefined;

  constructor() {
    super();
    this.rev = 0;
    this.expanded = new Set();
    this.menu = undefined;
    this.announcement = '';
    this.dragging = undefined;
    this.dropAt = undefined;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Opens a module's fields (e.g. when a finding or a preview click points into it). */
  open(instanceId: string): void {
    if (!this.expanded.has(instanceId)) this.expanded = new Set([...this.expanded, instanceId]);
  }

  private toggle(instanceId: string): void {
    const next = new Set(this.expanded);
    if (next.has(instanceId)) next.delete(instanceId);
    else next.add(instanceId);
    this.expanded = next;
  }

  private name(m: ModuleInstance): string {
    const def = this.session.composition.module(m.moduleId);
    const same = this.session.draft.modules.filter((x) => x.moduleId === m.moduleId);
    const n = same.indexOf(m);
    return `${def?.name ?? m.moduleId}${same.length > 1 ? ` ${n + 1}` : ''}`;
  }

  private async move(m: ModuleInstance, to: number): Promise<void> {
    this.menu = undefined;
    const total = this.session.draft.modules.length;
    try {
      await this.session.move(m.instanceId, to);
      this.announcement = `${this.name(m)} moved to position ${to + 1} of ${total}`;
    } catch (error) {
      this.announcement = error instanceof Error ? error.message : 'Could not move';
    }
    await this.updateComplete;
    this.querySelector<HTMLButtonElement>(`#${domId('move', m.instanceId)}`)?.focus();
  }

  private menuKeys(e: KeyboardEvent, instanceId: string): void {
    const items = Array.from(this.querySelectorAll<HTMLButtonElement>(`#${domId('menu', instanceId)} [role=menuitem]`));
    const at = items.indexOf(e.target as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      this.menu = undefined;
      this.querySelector<HTMLButtonElement>(`#${domId('move', instanceId)}`)?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  }

  private moveMenu(m: ModuleInstance): TemplateResult {
    const list = this.session.draft.modules;
    const targets = this.session.composition.moveTargets(list, m.instanceId);
    const entries = (
      [
        ['up', 'Move up'],
        ['down', 'Move down'],
        ['top', 'Move to the top'],
        ['bottom', 'Move to the bottom'],
      ] as const
    ).filter(([k]) => targets[k] !== undefined);
    const open = this.menu === m.instanceId;
    const none = entries.length === 0 || this.session.readOnly;
    return html`<div class="menu-wrap">
      <button
        type="button"
        class="btn small"
        id=${domId('move', m.instanceId)}
        aria-haspopup="menu"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${domId('menu', m.instanceId)}
        ?disabled=${none}
        title=${none ? 'The template fixes its position' : ''}
        @click=${async () => {
          this.menu = open ? undefined : m.instanceId;
          await this.updateComplete;
          this.querySelector<HTMLButtonElement>(`#${domId('menu', m.instanceId)} [role=menuitem]`)?.focus();
        }}
      >
        Move<span class="visually-hidden"> ${this.name(m)}</span>
      </button>
      ${
        open
          ? html`<ul
              class="menu card"
              role="menu"
              id=${domId('menu', m.instanceId)}
              aria-label="Move ${this.name(m)}"
              @keydown=${(e: KeyboardEvent) => {
                this.menuKeys(e, m.instanceId);
              }}
            >
              ${entries.map(
                ([k, label]) =>
                  html`<li role="none">
                    <button
                      type="button"
                      role="menuitem"
                      tabindex="-1"
                      @click=${() => void this.move(m, targets[k] ?? 0)}
                    >
                      ${label}
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  private card(m: ModuleInstance, index: number): TemplateResult {
    const { session } = this;
    const def = session.composition.module(m.moduleId);
    if (!def) return html``;
    const list = session.draft.modules;
    const fixed = session.composition.fixedReason(list, m.instanceId);
    const locked =
      def.slots.length > 0 &&
      def.slots.every(
        (s) => !['text', 'src', 'alt', 'href', 'color', 'visible', 'value'].some((p) => canEdit(s, def, p)),
      );
    const hide = session.composition.canHide(list, m.instanceId);
    const remove = session.composition.canRemove(list, m.instanceId);
    const open = this.expanded.has(m.instanceId);
    const bodyId = domId('module', m.instanceId);
    const movable = !session.readOnly && fixed === undefined;
    const errors = session.diagnostics.filter(
      (d) =>
        d.location.instanceId === m.instanceId &&
        d.severity === 'error' &&
        (d.location.locale ?? session.locale) === session.locale,
    ).length;
    return html`<li
      class="module-card card ${m.hidden ? 'hidden-module' : ''} ${this.dropAt === index ? 'drop-target' : ''}"
      data-instance=${m.instanceId}
      draggable=${movable ? 'true' : 'false'}
      @dragstart=${(e: DragEvent) => {
        this.dragging = m.instanceId;
        e.dataTransfer?.setData('text/plain', m.instanceId);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      }}
      @dragend=${() => {
        this.dragging = undefined;
        this.dropAt = undefined;
      }}
      @dragover=${(e: DragEvent) => {
        if (this.dragging === undefined) return;
        if (session.composition.canMove(list, this.dragging, index)) {
          e.preventDefault();
          this.dropAt = index;
        }
      }}
      @drop=${(e: DragEvent) => {
        e.preventDefault();
        const moving = list.find((x) => x.instanceId === this.dragging);
        this.dragging = undefined;
        this.dropAt = undefined;
        if (moving) void this.move(moving, index);
      }}
    >
      <div class="module-head">
        ${movable ? html`<span class="grip" aria-hidden="true" title="Drag to move">⠿</span>` : html`<span class="grip fixed" aria-hidden="true"></span>`}
        <button
          type="button"
          class="module-title"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${bodyId}
          @click=${() => {
            this.toggle(m.instanceId);
          }}
        >
          <span class="caret" aria-hidden="true">${open ? '▾' : '▸'}</span>
          ${this.name(m)}
        </button>
        <span class="row badges">
          ${def.pinned ? html`<span class="badge">Pinned</span>` : nothing}
          ${locked ? html`<span class="badge">Locked</span>` : nothing}
          ${m.hidden ? html`<span class="badge warning">Hidden</span>` : nothing}
          ${errors > 0 ? html`<span class="badge error">${errors} error${errors === 1 ? '' : 's'}</span>` : nothing}
        </span>
        <span class="row module-actions">
          ${this.moveMenu(m)}
          ${
            session.readOnly
              ? nothing
              : html`<button
                    type="button"
                    class="btn small"
                    ?disabled=${!hide.ok}
                    title=${hide.reason ?? ''}
                    @click=${async () => {
                      await session.setHidden(m.instanceId, !m.hidden);
                      this.announcement = `${this.name(m)} ${m.hidden ? 'shown' : 'hidden'}`;
                    }}
                  >
                    ${m.hidden ? 'Show' : 'Hide'}<span class="visually-hidden"> ${this.name(m)}</span>
                  </button>
                  <button
                    type="button"
                    class="btn small danger"
                    ?disabled=${!remove.ok}
                    title=${remove.reason ?? ''}
                    @click=${async () => {
                      const name = this.name(m);
                      await session.removeModule(m.instanceId);
                      this.announcement = `${name} removed`;
                    }}
                  >
                    Remove<span class="visually-hidden"> ${this.name(m)}</span>
                  </button>`
          }
        </span>
      </div>
      ${
        fixed !== undefined || locked
          ? html`<p class="hint fixed-reason">
              ${fixed ?? ''}${fixed !== undefined && locked ? ' ' : ''}${locked ? 'Its content is locked by the hub.' : ''}
            </p>`
          : nothing
      }
      <div class="module-body" id=${bodyId} ?hidden=${!open}>
        ${
          open
            ? def.slots.length === 0
              ? html`<p class="muted">Nothing to fill in this module.</p>`
              : def.slots.map(
                  (slot) =>
                    html`<hs-slot-field
                      .session=${session}
                      .instanceId=${m.instanceId}
                      .def=${slot}
                      .module=${def}
                      .rev=${this.rev}
                    ></hs-slot-field>`,
                )
            : nothing
        }
      </div>
    </li>`;
  }

  private addControl(): TemplateResult | typeof nothing {
    const { session } = this;
    if (session.readOnly) return nothing;
    const options = session.template.modules.map((def) => ({ def, allowed: session.canAdd(def.id) }));
    return html`<form
      class="row add-module"
      @submit=${async (e: Event) => {
        e.preventDefault();
        const select = (e.target as HTMLFormElement).querySelector('select');
        if (!select) return;
        const def = session.composition.module(select.value);
        try {
          const id = await session.addModule(select.value);
          this.open(id);
          this.announcement = `${def?.name ?? 'Module'} added at position ${session.draft.modules.findIndex((m) => m.instanceId === id) + 1}`;
        } catch (error) {
          this.announcement = error instanceof Error ? error.message : 'Could not add';
        }
      }}
    >
      <label for="hs-add-module">Add a module</label>
      <select id="hs-add-module">
        ${options.map(
          ({ def, allowed }) =>
            html`<option .value=${def.id} ?disabled=${!allowed.ok}>
              ${def.name}${allowed.ok ? '' : ` — ${allowed.reason ?? 'not allowed'}`}
            </option>`,
        )}
      </select>
      <button type="submit" class="btn" ?disabled=${options.every((o) => !o.allowed.ok)}>Add</button>
    </form>`;
  }

  protected override render() {
    const list = this.session.draft.modules;
    return html`<p class="hint" id="hs-dnd-hint">Drag a module to reorder it, or use its Move button.</p>
      <ol class="modules" aria-describedby="hs-dnd-hint" aria-label="Modules of this email">
        ${list.map((m, i) => this.card(m, i))}
      </ol>
      ${this.addControl()}
      <div class="visually-hidden" aria-live="polite" role="status">${this.announcement}</div>`;
  }
}
