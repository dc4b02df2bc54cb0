import { countDiagnostics } from '@hubspoke/core';
import { createBaseline, format, FORMATS, parseBaseline, type FormatName } from '@hubspoke/brand-rules';
import { checkDraft, linterFor } from '../checks.js';
import { readJson } from '../config/files.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { writeFileAtomic } from '../output/write-file.js';
import { inFile } from '../project.js';
import type { CommandSpec } from '../program.js';
import { actorOf, projectOf, stopIfInterrupted } from './options.js';

interface LintOptions {
  format?: string;
  fix?: boolean;
  baseline?: string;
  writeBaseline?: string;
}

export const lintCommand: CommandSpec = {
  name: 'lint',
  description: 'check drafts against their template and the brand rules (exit 1 on errors)',
  examples: [
    'hubspoke lint',
    'hubspoke lint drafts/austin-store-opening.json --format compact',
    'hubspoke lint --fix',
    'hubspoke lint --format sarif > lint.sarif',
    'hubspoke lint --write-baseline .hubspoke/baseline.json   # adopt on existing content',
    'hubspoke lint --baseline .hubspoke/baseline.json         # fail only on new violations',
  ],
  define: (c) =>
    c
      .argument('[drafts...]', 'draft files or ids (default: every draft in the drafts folder)')
      .option('-f, --format <name>', `output format: ${FORMATS.join(', ')}`, 'stylish')
      .option('--fix', 'apply safe fixes to the draft files')
      .option('--baseline <file>', 'leave out the known violations recorded in this file')
      .option('--write-baseline <file>', 'record the current violations as the baseline and exit 0')
      .option('--as <id>', 'mark which findings this principal may override (or HUBSPOKE_AS)'),
  async run(ctx, args, raw) {
    const options = raw as LintOptions;
    const formatName = (ctx.globals.json ? 'json' : (options.format ?? 'stylish')) as FormatName;
    if (!(FORMATS as readonly string[]).includes(formatName))
      throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${formatName}"`);
    const project = await projectOf(ctx);
    const baselineFile = options.baseline;
    const baseline =
      baselineFile === undefined
        ? undefined
        : await inFile(baselineFile, async () => parseBaseline(await readJson(project.arg(baselineFile), 'baseline')));
    const actor = actorOf(ctx, raw);
    const principal = actor === undefined ? undefined : await project.principal(actor);
    const drafts = await project.drafts(args);
    const checks = [];
    let fixedEdits = 0;
    const common = {
      ...(baseline === undefined ? {} : { baseline }),
      ...(principal === undefined ? {} : { principal }),
    };
    for (const { draft, file } of drafts) {
      stopIfInterrupted(ctx.signal);
      let check = await checkDraft(project, file, draft, { ...common, fix: options.fix === true });
      const edits = check.lint.fixed?.edits ?? 0;
      const fixedDraft = check.lint.fixed?.draft;
      if (options.fix === true && edits > 0 && fixedDraft !== undefined) {
        await writeFileAtomic(file, `${JSON.stringify(fixedDraft, null, 2)}\n`);
        fixedEdits += edits;
        ctx.term.err(ctx.term.style.green(`fixed ${edits} problem${edits === 1 ? '' : 's'} in ${project.show(file)}`));
        // Report what is left in the fixed draft (template validation included).
        check = await checkDraft(project, file, fixedDraft, common);
      }
      checks.push(check);
    }
    if (options.writeBaseline !== undefined) {
      const file = project.arg(options.writeBaseline);
      const known = checks.flatMap((c) => c.diagnostics);
      await writeFileAtomic(file, `${JSON.stringify(createBaseline(known), null, 2)}\n`);
      if (ctx.globals.json) ctx.term.printJson({ ok: true, baseline: file, violations: known.length });
      else ctx.term.err(`wrote the baseline of ${known.length} known violations to ${project.show(file)}`);
      return EXIT.ok;
    }
    const linter = await linterFor(project);
    const results = checks.map((c) => ({
      diagnostics: c.diagnostics,
      suppressed: c.lint.suppressed,
      baselined: c.lint.baselined,
      failed: c.failed,
      minLevel: c.minLevel,
      sourceText: c.lint.sourceText,
    }));
    const text = format(formatName, results, { rules: linter.rules });
    if (text.trim() !== '') ctx.term.out(text.trimEnd());
    if (formatName === 'stylish' && checks.every((c) => c.diagnostics.length === 0)) {
      ctx.term.err(
        ctx.term.style.green(
          `✔ ${checks.length} draft${checks.length === 1 ? '' : 's'} clean${fixedEdits > 0 ? ` after ${fixedEdits} fixes` : ''}`,
        ),
      );
    }
    const counts = countDiagnostics(checks.flatMap((c) => c.diagnostics));
    if (!ctx.globals.json && formatName !== 'stylish')
      ctx.term.err(`${counts.error} errors, ${counts.warning} warnings, ${counts.suggestion} suggestions`);
    return checks.some((c) => c.failed) ? EXIT.findings : EXIT.ok;
  },
};
