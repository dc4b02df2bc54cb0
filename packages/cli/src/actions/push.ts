import { localesOf } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { hubOf, principalOf, withHub } from './hub-context.js';

export const run: CommandSpec['run'] = async (ctx, [ref], options) => {
  const connector = typeof options.connector === 'string' ? options.connector : undefined;
  if (options.check === true) {
    const result = await (await hubOf(ctx, options)).checkConnector(connector, { signal: ctx.signal });
    if (ctx.globals.json) ctx.term.printJson(result);
    else ctx.term.out(`${ctx.term.style.green('ok')}: ${result.name}: ${result.message}`);
    return EXIT.ok;
  }
  if (ref === undefined) throw new UsageError('push: name the draft to publish (or use --check)');
  const testSend = typeof options.testSend === 'string' ? options.testSend : undefined;
  const testConnector = typeof options.testConnector === 'string' ? options.testConnector : undefined;
  if (testConnector !== undefined && testSend === undefined)
    throw new UsageError('--test-connector: name a seed list with --test-send too');
  return withHub(ctx, options, async (hub) => {
    const principal = await principalOf(ctx, hub, options);
    const { draft } = await hub.draft(ref);
    const label = `push ${connector ?? (await hub.settings()).defaultConnector}`;
    const bar = ctx.term.progress(label, localesOf(draft).length);
    const outcome = await hub.push(principal, ref, {
      dryRun: options.dryRun === true,
      ...(testSend === undefined ? {} : { testSend }),
      ...(testConnector === undefined ? {} : { testConnector }),
      signal: ctx.signal,
      onProgress: (done) => {
        bar.tick(done);
      },
      ...(connector === undefined ? {} : { connector }),
    });
    bar.finish();
    const { report, requests } = outcome;
    if (ctx.globals.json) {
      const { report: _r, ...rest } = outcome;
      ctx.term.printJson({ ok: report.failed === 0, ...rest, items: report.items });
      return report.failed === 0 ? EXIT.ok : EXIT.findings;
    }
    const { style } = ctx.term;
    for (const item of report.items) {
      if (item.ok) {
        const how =
          requests === undefined
            ? item.result.created
              ? 'created'
              : 'updated'
            : item.result.created
              ? 'would be created'
              : 'would be updated';
        const url = item.result.url === undefined ? '' : ` ${item.result.url}`;
        ctx.term.out(
          `${style.green('✔')} ${item.draftId} ${item.locale} → ${outcome.connector} ${item.result.remoteId} (${how})${url}`,
        );
      } else ctx.term.out(`${style.red('✖')} ${item.draftId} ${item.locale}: ${item.error.code} ${item.error.message}`);
    }
    if ('absent' in outcome.images)
      ctx.term.out(
        style.dim(`images: ${outcome.connector} has no file store (uploadAsset absent); images stay at their URLs`),
      );
    else if ('wouldUpload' in outcome.images)
      for (const image of outcome.images.wouldUpload)
        ctx.term.out(`${style.dim('○')} image ${image.src} (brand asset ${image.asset}) would be uploaded`);
    else
      for (const image of outcome.images.uploaded)
        ctx.term.out(
          `${style.green('✔')} image ${image.src} → ${image.url} (${image.created ? 'uploaded' : 'already there'})`,
        );
    for (const sent of outcome.testSends ?? [])
      ctx.term.out(
        `${style.green('✔')} test send ${sent.locale} via ${sent.connector} → ${sent.result.sent.join(', ')}`,
      );
    if (requests !== undefined) {
      ctx.term.out(`dry run: ${requests.length} request${requests.length === 1 ? '' : 's'} recorded, nothing sent`);
      for (const r of requests) ctx.term.out(`  ${r.method} ${r.target}`);
    }
    // Each failed item is reported with its own code; the run as a whole has findings.
    return report.failed === 0 ? EXIT.ok : EXIT.findings;
  });
};
