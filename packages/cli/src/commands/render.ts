import path from 'node:path';
import { countDiagnostics, DialectSchema, type Diagnostic, type Dialect } from '@hubspoke/core';
import { render } from '@hubspoke/template-engine';
import { localesOf } from '../checks.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { writeFoldersAtomic } from '../output/write-file.js';
import type { CommandSpec } from '../program.js';
import { projectOf, stopIfInterrupted } from './options.js';

const DIALECTS = DialectSchema.options;

function category(d: Diagnostic): string {
  return d.ruleId.split('/')[0] ?? 'other';
}

export const renderCommand: CommandSpec = {
  name: 'render',
  description:
    'render drafts for every locale × dialect into a folder, with size, accessibility and compatibility reports',
  examples: [
    'hubspoke render',
    'hubspoke render drafts/austin-store-opening.json --dialect marketo,sfmc',
    'hubspoke render --dialect braze --locale en-US --out out/braze',
  ],
  define: (c) =>
    c
      .argument('[drafts...]', 'draft files or ids (default: every draft)')
      .option('-d, --dialect <list>', `comma-separated: ${DIALECTS.join(', ')}`, 'preview')
      .option('-l, --locale <list>', 'comma-separated locales (default: every locale of the draft)')
      .option('-o, --out <dir>', 'output folder (default: <outDir>/render)')
      .option('--contact <id>', 'preview only: fill tokens with this sample contact'),
  async run(ctx, args, options) {
    const dialects = String(options.dialect)
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    for (const d of dialects)
      if (!(DIALECTS as readonly string[]).includes(d))
        throw new UsageError(`--dialect: "${d}" is not one of ${DIALECTS.join(', ')}`);
    const wanted = typeof options.locale === 'string' ? options.locale.split(',').map((l) => l.trim()) : undefined;
    const project = await projectOf(ctx);
    const out =
      typeof options.out === 'string'
        ? project.arg(options.out)
        : project.path(path.join(project.config.outDir, 'render'));
    const contact =
      typeof options.contact === 'string'
        ? project.config.sampleContacts.find((c) => c.id === options.contact)
        : undefined;
    if (typeof options.contact === 'string' && contact === undefined)
      throw new UsageError(`--contact: no sample contact "${options.contact}" in the config`);
    const drafts = await project.drafts(args);
    const missing = wanted?.filter((l) => !drafts.some(({ draft }) => localesOf(draft).includes(l)));
    if (missing !== undefined && missing.length > 0)
      throw new UsageError(`--locale: no draft to render has content in ${missing.join(', ')}`);
    // One folder per draft, swapped in together once everything rendered: other drafts' renders stay.
    const folders = new Map<string, [string, string][]>();
    const summary: {
      draft: string;
      locale: string;
      dialect: string;
      bytes: number;
      errors: number;
      warnings: number;
    }[] = [];
    const progress = ctx.term.progress('render', drafts.length * dialects.length);
    let done = 0;
    for (const { draft } of drafts) {
      const template = await project.template(draft.template.id, draft.template.version);
      const locales = localesOf(draft).filter((l) => wanted === undefined || wanted.includes(l));
      const files: [string, string][] = [];
      const reports: Record<string, unknown>[] = [];
      for (const dialect of dialects as Dialect[]) {
        for (const locale of locales) {
          stopIfInterrupted(ctx.signal);
          const email = await render(template, draft, {
            locale,
            dialect,
            fieldMap: project.config.fieldMap,
            ...(contact === undefined ? {} : { sampleContact: contact }),
          });
          const base = path.join(locale, dialect);
          files.push([`${base}.html`, email.html], [`${base}.txt`, email.text]);
          const counts = countDiagnostics(email.diagnostics);
          const byCategory: Record<string, Diagnostic[]> = {};
          for (const d of email.diagnostics) (byCategory[category(d)] ??= []).push(d);
          reports.push({
            locale,
            dialect,
            subject: email.subject,
            preheader: email.preheader,
            bytes: email.bytes,
            contentHash: email.contentHash,
            counts,
            size: byCategory.size ?? [],
            accessibility: byCategory.a11y ?? [],
            compatibility: byCategory.compat ?? [],
            personalization: byCategory.personalization ?? [],
            other: Object.entries(byCategory)
              .filter(([k]) => !['size', 'a11y', 'compat', 'personalization'].includes(k))
              .flatMap(([, v]) => v),
          });
          summary.push({
            draft: draft.id,
            locale,
            dialect,
            bytes: email.bytes,
            errors: counts.error,
            warnings: counts.warning,
          });
        }
        progress.tick((done += 1));
      }
      files.push([
        'report.json',
        `${JSON.stringify({ draftId: draft.id, draftVersion: draft.version, template: draft.template, renders: reports }, null, 2)}\n`,
      ]);
      folders.set(path.join(out, draft.id), files);
    }
    progress.finish();
    stopIfInterrupted(ctx.signal);
    const written = await writeFoldersAtomic(folders);
    if (ctx.globals.json) {
      ctx.term.printJson({ ok: true, out, renders: summary });
    } else {
      ctx.term.out(
        `${'draft'.padEnd(22)} ${'locale'.padEnd(7)} ${'dialect'.padEnd(8)} ${'size'.padStart(8)}  findings`,
      );
      for (const r of summary) {
        const size = `${(r.bytes / 1024).toFixed(1)} KB`;
        ctx.term.out(
          `${r.draft.padEnd(22)} ${r.locale.padEnd(7)} ${r.dialect.padEnd(8)} ${size.padStart(8)}  ${r.errors} errors, ${r.warnings} warnings`,
        );
      }
      ctx.term.err(`wrote ${written.length} files to ${project.show(out)}`);
    }
    return summary.some((r) => r.errors > 0) ? EXIT.findings : EXIT.ok;
  },
};
