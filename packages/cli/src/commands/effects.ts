import { isHubspokeError, type WorkflowEffect } from '@hubspoke/core';
import { OUTBOX_STATUSES, type OutboxEntry, type OutboxStatus } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { countOption, listOption, stopIfInterrupted, withDatabase, withHub } from './options.js';

function describe(effect: WorkflowEffect): string {
  switch (effect.type) {
    case 'notify':
      return `notify ${effect.to.join(', ')}: ${effect.message}`;
    case 'createTask':
      return `task for ${effect.assignee}: ${effect.title}`;
    case 'closeTask':
      return `close task ${effect.taskKey} (${effect.outcome})`;
  }
}

function line(entry: OutboxEntry): string {
  const tries = entry.attempts === 0 ? '' : ` · ${String(entry.attempts)} attempt${entry.attempts === 1 ? '' : 's'}`;
  const error = entry.lastError === undefined ? '' : ` · last error: ${entry.lastError}`;
  return `${entry.id.padEnd(32)} ${entry.status.padEnd(10)} ${describe(entry.effect)}${tries}${error}`;
}

export const effectsCommand: CommandSpec = {
  name: 'effects',
  description:
    'list the notifications and review tasks the workflow queued, or deliver them with connectors (run it from cron)',
  examples: [
    'hubspoke effects                                  # what is waiting to be delivered',
    'hubspoke effects --dispatch --connector fs        # append them to out/export/outbox/*.jsonl',
    'hubspoke effects --dispatch --connector slack     # needs SLACK_WEBHOOK_URL',
    'hubspoke effects --status dispatched --limit 5',
  ],
  define: (c) =>
    withDatabase(c)
      .option('--status <status>', `list entries with this status: ${OUTBOX_STATUSES.join(', ')}`, 'pending')
      .option('--limit <n>', 'list at most this many entries', '100')
      .option('--dispatch', 'deliver every due entry with the connectors named by --connector, then exit')
      .option('--connector <names>', 'comma-separated connectors from config.connectors that perform the effects')
      .option('--watch', 'with --dispatch: keep delivering new entries until Ctrl-C')
      .option('--max-attempts <n>', 'with --dispatch: give an entry up (status dead) after this many attempts', '8')
      .option(
        '--drop-unsupported',
        'with --dispatch: mark done what none of the connectors can perform (e.g. tasks when you use only Slack)',
      )
      .option('--requeue <id>', 'put a dead entry back in the queue'),
  run(ctx, _args, options) {
    const status = options.status as OutboxStatus;
    if (!OUTBOX_STATUSES.includes(status))
      throw new UsageError(`--status: expected one of ${OUTBOX_STATUSES.join(', ')}, got "${status}"`);
    const limit = countOption(options.limit, '--limit', 1);
    const maxAttempts = countOption(options.maxAttempts, '--max-attempts', 1);
    const dispatch = options.dispatch === true;
    const connectors = listOption(options.connector);
    if (dispatch && connectors.length === 0)
      throw new UsageError('--dispatch needs --connector <names>: which tools deliver the messages and tasks');
    if (!dispatch && (connectors.length > 0 || options.watch === true || options.dropUnsupported === true))
      throw new UsageError('--connector, --watch and --drop-unsupported go with --dispatch');
    return withHub(ctx, options, async (hub) => {
      if (typeof options.requeue === 'string') {
        await hub.requeueEffect(options.requeue);
        if (ctx.globals.json) ctx.term.printJson({ ok: true, requeued: options.requeue });
        else ctx.term.out(`requeued ${options.requeue}`);
        return EXIT.ok;
      }
      if (!dispatch) {
        const entries = await hub.listEffects({ status, limit });
        if (ctx.globals.json) ctx.term.printJson(entries);
        else if (entries.length === 0) ctx.term.out(`no ${status} effects`);
        else for (const entry of entries) ctx.term.out(line(entry));
        return EXIT.ok;
      }
      const result = await hub
        .dispatchEffects({
          connectors,
          maxAttempts,
          signal: ctx.signal,
          watch: options.watch === true,
          dropUnsupported: options.dropUnsupported === true,
        })
        .catch((e: unknown) => {
          if (isHubspokeError(e, 'E_VALIDATION') && e.path === 'connectors')
            throw new UsageError(`--connector: ${e.message.replace(/^connectors: /, '')}`);
          throw e;
        });
      // --watch ends with Ctrl-C, which is how it is meant to stop.
      if (options.watch !== true) stopIfInterrupted(ctx.signal);
      const { gaveUp, dropped, failures, ...report } = result;
      const ok = report.retried === 0 && gaveUp === 0;
      if (ctx.globals.json) {
        ctx.term.printJson({ ok, ...report, dead: gaveUp, dropped, failures });
        return ok ? EXIT.ok : EXIT.findings;
      }
      ctx.term.out(
        `${String(report.dispatched - dropped)} delivered, ${String(report.retried)} to retry, ${String(gaveUp)} gave up${dropped === 0 ? '' : `, ${String(dropped)} dropped (no connector for them)`}`,
      );
      for (const f of failures) ctx.term.err(`  ${f}`);
      if (gaveUp > 0) ctx.term.err(`${String(gaveUp)} gave up for good: hubspoke effects --status dead`);
      return ok ? EXIT.ok : EXIT.findings;
    });
  },
};
