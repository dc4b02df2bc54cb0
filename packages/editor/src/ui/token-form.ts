import { LitElement, html, nothing } from 'lit';
import type { PersonalizationField } from '../source/types.js';
import { conditionToken, fieldToken, formOf, quoteLiteral, type ConditionForm } from '../model/tokens.js';

/**
 * The form behind "Insert field" and "Show to a segment": a contact field with a fallback, or
 * a condition (field, operator, value) with the text shown when it holds and otherwise. Emits
 * `hs-token` with the token's neutral source; nobody types braces.
 */
export class HsTokenForm extends LitElement {
  static override properties = {
    fields: { attribute: false },
    kind: {},
    source: {},
    formId: {},
    error: { state: true },
  };
  declare fields: PersonalizationField[];
  declare kind: 'field' | 'condition';
  declare source: string;
  declare formId: string;
  declare private error: string | undefined;

  constructor() {
    super();
    this.fields = [];
    this.kind = 'field';
    this.source = '';
    this.formId = 'token-form';
    this.error = undefined;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override firstUpdated(): void {
    this.querySelector<HTMLSelectElement>('select')?.focus();
  }

  private value(name: string): string {
    return this.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)?.value ?? '';
  }

  private submit(e: Event): void {
    e.preventDefault();
    let source: string;
    if (this.kind === 'field') {
      const fallback = this.value('fallback');
      if (fallback !== '' && quoteLiteral(fallback) === undefined) {
        this.error = 'A fallback cannot contain both kinds of quotation marks';
        return;
      }
      source = fieldToken(this.value('path'), fallback);
    } else {
      const form: ConditionForm = {
        path: this.value('path'),
        op: this.value('op') as ConditionForm['op'],
        value: this.value('value'),
        then: this.value('then'),
        otherwise: this.value('otherwise'),
      };
      if ((form.op === 'is' || form.op === 'isNot') && form.value.trim() === '') {
        this.error = 'Enter the value to compare with';
        return;
      }
      if (form.then === '' && form.otherwise === '') {
        this.error = 'Enter the text to show';
        return;
      }
      source = conditionToken(form);
    }
    this.dispatchEvent(new CustomEvent('hs-token', { detail: { source }, bubbles: false }));
  }

  protected override render() {
    const id = this.formId;
    const initial = formOf(this.source);
    const field = initial && 'field' in initial ? initial.field : undefined;
    const condition = initial && 'condition' in initial ? initial.condition : undefined;
    const editing = this.source !== '';
    const options = (selected: string | undefined) =>
      this.fields.map((f) => html`<option .value=${f.path} ?selected=${f.path === selected}>${f.label}</option>`);
    return html`<form
      class="token-form card"
      @submit=${(e: Event) => {
        this.submit(e);
      }}
      aria-label=${this.kind === 'field' ? 'Insert a contact field' : 'Show text to a segment'}
    >
      ${
        this.kind === 'field'
          ? html`<div class="field">
                <label for="${id}-path">Contact field</label>
                <select id="${id}-path" name="path">
                  ${options(field?.path)}
                </select>
              </div>
              <div class="field">
                <label for="${id}-fallback">Fallback when it is empty</label>
                <input
                  id="${id}-fallback"
                  name="fallback"
                  type="text"
                  .value=${field?.fallback ?? ''}
                  placeholder="e.g. there"
                />
              </div>`
          : html`<div class="field">
                <label for="${id}-path">When the contact’s</label>
                <select id="${id}-path" name="path">
                  ${options(condition?.path)}
                </select>
              </div>
              <div class="field">
                <label for="${id}-op">Condition</label>
                <select id="${id}-op" name="op">
                  ${(
                    [
                      ['is', 'is'],
                      ['isNot', 'is not'],
                      ['present', 'is known'],
                      ['absent', 'is empty'],
                    ] as const
                  ).map(([v, label]) => html`<option .value=${v} ?selected=${condition?.op === v}>${label}</option>`)}
                </select>
              </div>
              <div class="field">
                <label for="${id}-value">Value</label>
                <input id="${id}-value" name="value" type="text" .value=${condition?.value ?? ''} />
              </div>
              <div class="field">
                <label for="${id}-then">Show</label>
                <input id="${id}-then" name="then" type="text" .value=${condition?.then ?? ''} />
              </div>
              <div class="field">
                <label for="${id}-otherwise">Otherwise show</label>
                <input id="${id}-otherwise" name="otherwise" type="text" .value=${condition?.otherwise ?? ''} />
              </div>`
      }
      ${this.error === undefined ? nothing : html`<p class="error-text" role="alert">${this.error}</p>`}
      <div class="row">
        <button type="submit" class="btn small primary">${editing ? 'Update' : 'Insert'}</button>
        <button type="button" class="btn small" @click=${() => this.dispatchEvent(new CustomEvent('hs-cancel'))}>
          Cancel
        </button>
      </div>
    </form>`;
  }
}
