import { assertCan, HubspokeError, type PushEmailInput } from '@hubspoke/core';
import { createDryRunRecorder, createSqlPublishStore, pushEmails } from '@hubspoke/map-connectors';
import { render } from '@hubspoke/template-engine';
import { openApprovals } from '../approvals-db.js';
import { draftHash, localesOf } from '../checks.js';
import { connectorFromConfig } from '../connectors.js';
import { EXIT } from '../output/exit-codes.js';
import { Project } from '../project.js';
import type { CommandSpec } from '../program.js';

export const pushCommand: CommandSpec = {
  name: 'push',
  description: 'publish an approved draft to a platform (every locale; idempotent: pushing again updates the same assets)',
  examples: [
    'hubspoke push berlin-spring --as lena                  # to the default connector (fs export)',
    'hubspoke push berlin-spring --connector marketo --as lena --dry-run',
    'hubspoke push --check --connector marketo              # verify credentials only',
  ],
  define: (c) =>
    c
      .argument('[draft]', 'draft file or id')
      .option('--connector <name>', 'a connector from config.connectors (default: config.defaultConnector)')
      .option('--dry-run', 'record what would be sent, send nothing')
      .option('--check', 'only verify the connector\'s credentials')
      .option('--as <id>', 'who is publishing')
      .option('--database-url <url>', 'PostgreSQL URL (default: embedded PGlite in .hubspoke/approvals)'),
  async run(ctx, [ref], options) {
    const project = new Project(await ctx.config());
    const connectorName = options.connector as string | undefined;
    if (options.check === true) {
      const connector = connectorFromConfig(project, connectorName, ctx.env, {});
      const result = await connector.check({ signal: ctx.signal });
      if (ctx.globals.json) ctx.term.printJson(result);
      else ctx.term.out(`${result.ok ? ctx.term.style.green('ok') : ctx.term.style.red('failed')}: ${connector.manifest.name}: ${result.message}`);
      if (!result.ok) throw new HubspokeError('E_AUTH', `${connector.manifest.id}: ${result.message}`);
      return EXIT.ok;
    }
    if (ref === undefined) throw new HubspokeError('E_VALIDATION', 'push: name the draft to publish (or use --check)');
    const principal = await project.principal((options.as as string | undefined) ?? ctx.env.HUBSPOKE_AS);
    const { draft } = await project.draft(ref);
    assertCan(await project.operatingModel(), principal, 'email.push', { region: draft.region, team: draft.team, ownerId: draft.author });
    const template = await project.template(draft.template.id, draft.template.version);
    const db = await openApprovals(project, (options.databaseUrl as string | undefined) ?? ctx.env.HUBSPOKE_DATABASE_URL);
    try {
      const submissions = (await db.approvals.list(principal, { limit: 500 })).filter((s) => s.draftId === draft.id);
      const approved = await Promise.all(submissions.filter((s) => s.status === 'approved').map((s) => db.approvals.status(principal, s.submissionId)));
      const hash = draftHash(draft);
      if (!approved.some((s) => s.approvedContentHash === hash)) {
        throw new HubspokeError('E_FORBIDDEN', `push: ${draft.id} v${draft.version} is not approved as it is now${approved.length > 0 ? ' (it changed after approval)' : ''}`, {
          hint: `submit it for review: hubspoke submit ${draft.id} --as ${draft.author}`,
        });
      }
      const recorder = options.dryRun === true ? createDryRunRecorder() : undefined;
      const connector = connectorFromConfig(project, connectorName, ctx.env, { store: createSqlPublishStore(db.sql), ...(recorder === undefined ? {} : { dryRun: recorder }) });
      const dialect = connector.manifest.tokenDialect ?? 'preview';
      const inputs: PushEmailInput[] = [];
      for (const locale of localesOf(draft)) {
        const email = await render(template, draft, { locale, dialect, fieldMap: project.config.fieldMap });
        inputs.push({ draftId: draft.id, draftVersion: draft.version, locale, name: draft.name, email });
      }
      const bar = ctx.term.progress(`push ${connector.manifest.id}`, inputs.length);
      const report = await pushEmails(connector, inputs, { signal: ctx.signal, onProgress: (done) => { bar.tick(done); } });
      bar.finish();
      if (ctx.globals.json) {
        ctx.term.printJson({ ok: report.failed === 0, connector: connector.manifest.id, dialect, dryRun: recorder !== undefined, items: report.items, ...(recorder === undefined ? {} : { requests: recorder.records }) });
      } else {
        for (const item of report.items) {
          if (item.ok) ctx.term.out(`${ctx.term.style.green('✔')} ${item.draftId} ${item.locale} → ${connector.manifest.id} ${item.result.remoteId} (${item.result.created ? 'created' : 'updated'})${item.result.url === undefined ? '' : ` ${item.result.url}`}`);
          else ctx.term.out(`${ctx.term.style.red('✖')} ${item.draftId} ${item.locale}: ${item.error.code} ${item.error.message}`);
        }
        if (recorder !== undefined) {
          ctx.term.out(`dry run: ${recorder.records.length} request${recorder.records.length === 1 ? '' : 's'} recorded, nothing sent`);
          for (const r of recorder.records) ctx.term.out(`  ${r.method} ${r.target}`);
        }
      }
      return report.failed === 0 ? EXIT.ok : EXIT.unavailable;
    } finally {
      await db.close();
    }
  },
};
