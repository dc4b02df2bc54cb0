import path from 'node:path';
import { countDiagnostics } from '@hubspoke/core';
import {
  createBaseline,
  formatLint,
  LINT_FORMATS,
  readBaseline,
  writeFileAtomic,
  type LintFormat,
} from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { actorOf } from '../commands/options.js';
import { hubOf } from './hub-context.js';
import { lintResults } from './lint-results.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const countsLine = (c: { error: number; warning: number; suggestion: number }) =>
  `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.suggestion, 'suggestion')}`;

export const run: CommandSpec['run'] = async (ctx, args, options) => {
  const formatName = (ctx.globals.json ? 'json' : (options.format ?? 'stylish')) as LintFormat;
  if (!(LINT_FORMATS as readonly string[]).includes(formatName))
    throw new UsageError(`--format: expected one of ${LINT_FORMATS.join(', ')}, got "${formatName}"`);
  const hub = await hubOf(ctx);
  const baseline =
    typeof options.baseline === 'string' ? await readBaseline(path.resolve(ctx.cwd, options.baseline)) : undefined;
  const actor = actorOf(ctx, options);
  const linted = await hub.lintDrafts(args, {
    fix: options.fix === true,
    signal: ctx.signal,
    ...(baseline === undefined ? {} : { baseline }),
    ...(actor === undefined ? {} : { principal: await hub.principal(actor) }),
  });
  for (const { name, fixes } of linted)
    if (fixes > 0) ctx.term.err(ctx.term.style.green(`fixed ${fixes} problem${fixes === 1 ? '' : 's'} in ${name}`));
  const checks = linted.map((l) => l.check);
  if (typeof options.writeBaseline === 'string') {
    const file = path.resolve(ctx.cwd, options.writeBaseline);
    const known = checks.flatMap((c) => c.diagnostics);
    await writeFileAtomic(file, `${JSON.stringify(createBaseline(known), null, 2)}\n`);
    if (ctx.globals.json) ctx.term.printJson({ ok: true, baseline: file, violations: known.length });
    else ctx.term.err(`wrote the baseline of ${known.length} known violations to ${path.relative(ctx.cwd, file)}`);
    return EXIT.ok;
  }
  const { results, written } = await lintResults(hub, linted, formatName === 'sarif');
  if (written.length > 0)
    ctx.term.err(`SARIF places findings in the output in the renders written to ${written.join(', ')}`);
  const text = formatLint(formatName, results, { rules: (await hub.linter()).rules });
  if (text.trim() !== '') ctx.term.out(text.trimEnd());
  const fixed = linted.reduce((n, l) => n + l.fixes, 0);
  if (formatName === 'stylish' && checks.every((c) => c.diagnostics.length === 0))
    ctx.term.err(
      ctx.term.style.green(
        `✔ ${checks.length} draft${checks.length === 1 ? '' : 's'} clean${fixed > 0 ? ` after ${fixed} fixes` : ''}`,
      ),
    );
  // Machine formats keep stdout for the data; the count goes to stderr (stylish and compact print their own).
  if (!ctx.globals.json && (formatName === 'json' || formatName === 'sarif'))
    ctx.term.err(countsLine(countDiagnostics(checks.flatMap((c) => c.diagnostics))));
  return checks.some((c) => c.failed) ? EXIT.findings : EXIT.ok;
};
