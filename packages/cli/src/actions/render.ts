import path from 'node:path';
import { DialectSchema, type Dialect } from '@hubspoke/core';
import { localesOf, writeFoldersAtomic } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { listOption } from '../commands/options.js';
import { hubOf, stopIfInterrupted } from './hub-context.js';

const DIALECTS = DialectSchema.options;

export const run: CommandSpec['run'] = async (ctx, args, options) => {
  const dialects = listOption(options.dialect) as Dialect[];
  for (const d of dialects)
    if (!(DIALECTS as readonly string[]).includes(d))
      throw new UsageError(`--dialect: "${d}" is not one of ${DIALECTS.join(', ')}`);
  const wanted = typeof options.locale === 'string' ? listOption(options.locale) : undefined;
  const hub = await hubOf(ctx);
  const settings = await hub.settings();
  const out =
    typeof options.out === 'string'
      ? path.resolve(ctx.cwd, options.out)
      : path.join(hub.dir, settings.outDir, 'render');
  const contact = typeof options.contact === 'string' ? options.contact : undefined;
  if (contact !== undefined && !settings.sampleContacts.some((c) => c.id === contact))
    throw new UsageError(`--contact: no sample contact "${contact}" in the config`);
  const drafts = await hub.drafts(args);
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
  const progress = ctx.term.progress('render', drafts.length);
  for (const [index, { draft }] of drafts.entries()) {
    stopIfInterrupted(ctx.signal);
    const variants = await hub.renderAll(draft, {
      dialects,
      signal: ctx.signal,
      ...(wanted === undefined ? {} : { locales: wanted }),
      ...(contact === undefined ? {} : { contact }),
    });
    const files: [string, string][] = [];
    for (const { email, locale, dialect, ...report } of variants) {
      files.push([path.join(locale, `${dialect}.html`), email.html], [path.join(locale, `${dialect}.txt`), email.text]);
      summary.push({
        draft: draft.id,
        locale,
        dialect,
        bytes: email.bytes,
        errors: report.counts.error,
        warnings: report.counts.warning,
      });
    }
    const renders = variants.map(({ email, ...v }) => ({
      ...v,
      subject: email.subject,
      preheader: email.preheader,
      bytes: email.bytes,
      contentHash: email.contentHash,
    }));
    const report = { draftId: draft.id, draftVersion: draft.version, template: draft.template, renders };
    files.push(['report.json', `${JSON.stringify(report, null, 2)}\n`]);
    folders.set(path.join(out, draft.id), files);
    progress.tick(index + 1);
  }
  progress.finish();
  stopIfInterrupted(ctx.signal);
  const written = await writeFoldersAtomic(folders);
  if (ctx.globals.json) {
    ctx.term.printJson({ ok: true, out, renders: summary });
    return summary.some((r) => r.errors > 0) ? EXIT.findings : EXIT.ok;
  }
  ctx.term.out(`${'draft'.padEnd(22)} ${'locale'.padEnd(7)} ${'dialect'.padEnd(8)} ${'size'.padStart(8)}  findings`);
  for (const r of summary) {
    const size = `${(r.bytes / 1024).toFixed(1)} KB`;
    ctx.term.out(
      `${r.draft.padEnd(22)} ${r.locale.padEnd(7)} ${r.dialect.padEnd(8)} ${size.padStart(8)}  ${r.errors} errors, ${r.warnings} warnings`,
    );
  }
  const shown = path.relative(hub.dir, out);
  ctx.term.err(`wrote ${written.length} files to ${shown.startsWith('..') ? out : shown}`);
  return summary.some((r) => r.errors > 0) ? EXIT.findings : EXIT.ok;
};
