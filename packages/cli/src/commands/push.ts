import { assertCan, HubspokeError, isErrorCode, type PushEmailInput } from '@hubspoke/core';
import { createDryRunRecorder, createSqlPublishStore, pushEmails } from '@hubspoke/map-connectors';
import { render } from '@hubspoke/template-engine';
import { draftHash, localesOf } from '../checks.js';
import { connectorFromConfig } from '../connectors.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { submissionsOf } from '../submissions.js';
import { actorOf, openDatabase, projectOf, withActor, withDatabase } from './options.js';

export const pushCommand: CommandSpec = {
  name: 'push',
  description:
    'publish an approved draft to a platform (every locale; idempotent: pushing again updates the same assets)',
  examples: [
    'hubspoke push austin-store-opening --as jo             # to the default connector (fs export)',
    'hubspoke push austin-store-opening --connector marketo --as jo --dry-run   # needs the MARKETO_* variables',
    'hubspoke push --check --connector marketo              # verify credentials only',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('[draft]', 'draft file or id'), 'who is publishing (or HUBSPOKE_AS)'))
      .option('--connector <name>', 'a connector from config.connectors (default: config.defaultConnector)')
      .option('--dry-run', 'record what would be sent, send nothing')
      .option('--check', "only verify the connector's credentials"),
  async run(ctx, [ref], options) {
    const project = await projectOf(ctx);
    const connectorName = options.connector as string | undefined;
    if (options.check === true) {
      const connector = connectorFromConfig(project, connectorName, ctx.env, {});
      const result = await connector.check({ signal: ctx.signal });
      if (!result.ok) {
        const code = result.details?.code;
        throw new HubspokeError(isErrorCode(code) ? code : 'E_AUTH', `${connector.manifest.id}: ${result.message}`);
      }
      if (ctx.globals.json) ctx.term.printJson(result);
      else ctx.term.out(`${ctx.term.style.green('ok')}: ${connector.manifest.name}: ${result.message}`);
      return EXIT.ok;
    }
    if (ref === undefined) throw new UsageError('push: name the draft to publish (or use --check)');
    const principal = await project.principal(actorOf(ctx, options));
    const { draft } = await project.draft(ref);
    assertCan(await project.operatingModel(), principal, 'email.push', {
      region: draft.region,
      team: draft.team,
      ownerId: draft.author,
    });
    const template = await project.template(draft.template.id, draft.template.version);
    const db = await openDatabase(ctx, project, options);
    try {
      const submissions = await submissionsOf(db.approvals, principal, draft.id);
      const approved = await Promise.all(
        submissions.filter((s) => s.status === 'approved').map((s) => db.approvals.status(principal, s.submissionId)),
      );
      const hash = draftHash(draft, template);
      if (!approved.some((s) => s.approvedContentHash === hash)) {
        throw new HubspokeError(
          'E_FORBIDDEN',
          `push: ${draft.id} v${draft.version} is not approved as it is now${approved.length > 0 ? ' (it changed after approval)' : ''}`,
          {
            hint: `submit it for review: hubspoke submit ${draft.id} --as ${draft.author}`,
          },
        );
      }
      const recorder = options.dryRun === true ? createDryRunRecorder() : undefined;
      const connector = connectorFromConfig(project, connectorName, ctx.env, {
        store: createSqlPublishStore(db.sql),
        ...(recorder === undefined ? {} : { dryRun: recorder }),
      });
      const dialect = connector.manifest.tokenDialect ?? 'preview';
      const inputs: PushEmailInput[] = [];
      for (const locale of localesOf(draft)) {
        const email = await render(template, draft, { locale, dialect, fieldMap: project.config.fieldMap });
        inputs.push({ draftId: draft.id, draftVersion: draft.version, locale, name: draft.name, email });
      }
      const bar = ctx.term.progress(`push ${connector.manifest.id}`, inputs.length);
      const report = await pushEmails(connector, inputs, {
        signal: ctx.signal,
        onProgress: (done) => {
          bar.tick(done);
        },
      });
      bar.finish();
      if (ctx.globals.json) {
        ctx.term.printJson({
          ok: report.failed === 0,
          connector: connector.manifest.id,
          dialect,
          dryRun: recorder !== undefined,
          items: report.items,
          ...(recorder === undefined ? {} : { requests: recorder.records }),
        });
      } else {
        for (const item of report.items) {
          if (item.ok)
            ctx.term.out(
              `${ctx.term.style.green('✔')} ${item.draftId} ${item.locale} → ${connector.manifest.id} ${item.result.remoteId} (${item.result.created ? 'created' : 'updated'})${item.result.url === undefined ? '' : ` ${item.result.url}`}`,
            );
          else
            ctx.term.out(
              `${ctx.term.style.red('✖')} ${item.draftId} ${item.locale}: ${item.error.code} ${item.error.message}`,
            );
        }
        if (recorder !== undefined) {
          ctx.term.out(
            `dry run: ${recorder.records.length} request${recorder.records.length === 1 ? '' : 's'} recorded, nothing sent`,
          );
          for (const r of recorder.records) ctx.term.out(`  ${r.method} ${r.target}`);
        }
      }
      // Each failed item is reported with its own code; the run as a whole has findings.
      return report.failed === 0 ? EXIT.ok : EXIT.findings;
    } finally {
      await db.close();
    }
  },
};
