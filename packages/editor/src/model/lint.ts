import { compareDiagnostics, type Diagnostic, type Draft, type RenderedEmail, type Template } from '@hubspoke/core';
import { builtinRules, createLinter, type LintConfig, type Linter } from '@hubspoke/brand-rules/browser';
import { validateDraft } from '@hubspoke/template-engine/fill';
import type { HubInfo } from '../source/types.js';

/** Findings the editor shows elsewhere: which locale a value falls back to is shown on the field itself. */
const SHOWN_ON_FIELDS = new Set(['l10n/fallback']);

/** Short explanations of the template engine's own rules (brand rules explain themselves in their metadata). */
const ENGINE_RULES: Record<string, string> = {
  'template/too-long': 'The template limits how long this text may be, so it fits its place in every client.',
  'template/too-short': 'The template asks for at least this much text here.',
  'template/required-slot': 'The hub marked this content as required: the email is incomplete without it.',
  'template/required-field': 'Every email needs this in every locale it is sent in.',
  'template/missing-alt': 'Screen readers read alt text aloud, and clients show it when images are blocked.',
  'template/off-palette': 'Colours come from the brand palette so every email looks like the brand.',
  'template/link-domain': 'Links may only point to the domains the hub approved for this place.',
  'template/link-scheme': 'Only https, mailto and tel links are safe in every client.',
  'template/image-library': 'Images come from the brand’s asset library, which tracks licences and expiry.',
  'template/image-domain': 'Images may only come from the hosts the hub approved.',
  'template/empty-link-text': 'A link without text cannot be read or clicked by everyone.',
  'template/locked-slot': 'The hub locked this content; the server refuses changes to it.',
  'template/module-count': 'The template sets how many times a module may appear.',
  'template/pinned-module': 'Pinned modules (header, footer) belong in every email.',
  'personalization/syntax': 'Personalization must be complete so every platform can read it.',
  'personalization/unmapped-field': 'The platform this email goes to does not know this contact field.',
  'template/rich-text-sanitized': 'Formatting outside the allowed list is removed when the email is rendered.',
  'size/gmail-clipping': 'Gmail cuts emails larger than about 102 KB behind a “View entire message” link.',
};

export function explain(ruleId: string): string | undefined {
  const rule = (builtinRules as Record<string, { meta?: { docs?: { description?: string } } } | undefined>)[ruleId];
  return rule?.meta?.docs?.description ?? ENGINE_RULES[ruleId];
}

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
