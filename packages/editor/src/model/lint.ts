import { compareDiagnostics, type Diagnostic, type Draft, type RenderedEmail, type Template } from '@hubspoke/core';
import { createLinter, darkPalette, type LintConfig, type Linter } from '@hubspoke/brand-rules/browser';
import { validateDraft } from '@hubspoke/template-engine/fill';
import type { HubInfo } from '../source/types.js';
import { brandRuleDocs } from './explain.js';
import type { LinterInfo } from './worker-linter.js';

/** Findings the editor shows elsewhere: which locale a value falls back to is shown on the field itself. */
const SHOWN_ON_FIELDS = new Set(['l10n/fallback']);

function keyOf(d: Diagnostic): string {
  const l = d.location;
  return `${d.ruleId}|${d.message}|${l.locale ?? ''}|${l.instanceId ?? ''}|${l.slotId ?? ''}|${l.property ?? ''}|${l.field ?? ''}|${l.start ?? ''}`;
}

/**
 * Lints a draft the way the hub does, in the page: the template's validation, what the
 * render reported, and the brand rules on the draft and its rendered HTML. Keeps results per
 * locale, so a keystroke re-lints only the locale being edited.
 */
export class DraftLinter {
  private readonly linter: Linter;
  private validation: Diagnostic[] = [];
  /** Per locale: what the render reported, brand findings on the draft, brand findings on the HTML. */
  private readonly perLocale = new Map<string, { render: Diagnostic[]; draft: Diagnostic[]; html: Diagnostic[] }>();

  constructor(
    private readonly template: Template,
    private readonly hub: HubInfo,
    private readonly now: () => Date,
  ) {
    this.linter = createLinter({
      brandKit: hub.brandKit,
      template,
      ...(hub.lintConfig === undefined ? {} : { config: hub.lintConfig as LintConfig }),
    });
  }

  /** What the page needs from the brand rules without loading them: the dark scheme and the rules' explanations. */
  info(): LinterInfo {
    return { darkPalette: darkPalette(this.hub.brandKit), explanations: brandRuleDocs() };
  }

  /**
   * Re-validates the whole draft and re-lints `emails`' locales (each email is that locale's
   * render). `quick` (a keystroke) lints the draft's text with the brand rules and keeps the
   * last findings on the rendered HTML (contrast, sizes, template markup), which a text edit
   * rarely changes; a full lint (on open, after a pause, before submitting) reads the HTML too.
   */
  lint(draft: Draft, emails: readonly RenderedEmail[], quick = false): Diagnostic[] {
    this.validation = validateDraft(this.template, draft, {
      brandKit: this.hub.brandKit,
      ...(this.hub.dialects === undefined ? {} : { dialects: this.hub.dialects }),
      ...(this.hub.fieldMap === undefined ? {} : { fieldMap: this.hub.fieldMap }),
    });
    for (const locale of Object.keys(Object.fromEntries(this.perLocale)))
      if (draft.content[locale] === undefined) this.perLocale.delete(locale);
    for (const email of emails) {
      const brand = this.linter.lint({
        draft,
        ...(quick ? {} : { rendered: email }),
        locales: [email.locale],
        now: this.now(),
        ...(draft.region === undefined ? {} : { region: draft.region }),
      }).diagnostics;
      const located = (list: Diagnostic[]) =>
        list.map((d) =>
          d.location.locale === undefined ? { ...d, location: { ...d.location, locale: email.locale } } : d,
        );
      const before = this.perLocale.get(email.locale);
      this.perLocale.set(email.locale, {
        render: located(email.diagnostics),
        draft: located(brand.filter((d) => d.location.source !== 'html')),
        html: quick ? (before?.html ?? []) : located(brand.filter((d) => d.location.source === 'html')),
      });
    }
    return this.diagnostics();
  }

  diagnostics(): Diagnostic[] {
    const all = [
      ...this.validation,
      ...[...this.perLocale.values()].flatMap((l) => [...l.render, ...l.draft, ...l.html]),
    ];
    // brand-rules reads a link whose href is a slot value both in the draft (with a fix) and in
    // the HTML (without a slot): keep the one the spoke can act on.
    const onSlots = new Set(
      all
        .filter((d) => d.location.slotId !== undefined)
        .map((d) => `${d.ruleId}|${d.message}|${d.location.locale ?? ''}`),
    );
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const d of all) {
      if (SHOWN_ON_FIELDS.has(d.ruleId)) continue;
      if (
        d.location.source === 'html' &&
        d.location.slotId === undefined &&
        onSlots.has(`${d.ruleId}|${d.message}|${d.location.locale ?? ''}`)
      )
        continue;
      const key = keyOf(d);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out.sort(compareDiagnostics);
  }
}
