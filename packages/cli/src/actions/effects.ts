import { isHubspokeError, type WorkflowEffect } from '@hubspoke/core';
import { OUTBOX_STATUSES, type OutboxEntry, type OutboxStatus } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { countOption, listOption } from '../commands/options.js';
import { stopIfInterrupted, withHub } from './hub-context.js';

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

export const run: CommandSpec['run'] = (ctx, _args, options) => {
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
};
