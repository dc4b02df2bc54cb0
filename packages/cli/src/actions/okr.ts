import path from 'node:path';
import { OKR_REPORT_FORMATS, writeFileAtomic, type OkrReportFormat } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { hubOf } from './hub-context.js';

export const run: CommandSpec['run'] = async (ctx, [action], options) => {
  if (action !== 'report') throw new UsageError(`okr: unknown action "${action ?? ''}"; use report`);
  const format = (ctx.globals.json ? 'json' : options.format) as OkrReportFormat;
  if (!OKR_REPORT_FORMATS.includes(format))
    throw new UsageError(`--format: expected one of ${OKR_REPORT_FORMATS.join(', ')}, got "${String(options.format)}"`);
  if (typeof options.asOf === 'string' && Number.isNaN(Date.parse(options.asOf)))
    throw new UsageError(`--as-of: expected an ISO date like 2026-05-15, got "${options.asOf}"`);
  const text = await (
    await hubOf(ctx)
  ).okrReport({
    format,
    ...(typeof options.asOf === 'string' ? { asOf: options.asOf } : {}),
    ...(typeof options.team === 'string' ? { team: options.team } : {}),
    ...(typeof options.region === 'string' ? { region: options.region } : {}),
  });
  if (typeof options.out !== 'string') {
    ctx.term.out(text.trimEnd());
    return EXIT.ok;
  }
  const file = path.resolve(ctx.cwd, options.out);
  await writeFileAtomic(file, text);
  if (ctx.globals.json) ctx.term.printJson({ ok: true, out: file, format });
  else ctx.term.err(`wrote the OKR report (${format}) to ${path.relative(ctx.cwd, file)}`);
  return EXIT.ok;
};
