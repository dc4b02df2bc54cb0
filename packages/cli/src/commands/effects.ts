import { HubspokeError, type Connector, type WorkflowEffect } from '@hubspoke/core';
import { dispatchEffects, type EffectOutbox, type OutboxEntry, type OutboxStatus } from '@hubspoke/approval-state';
import { applyWorkflowEffect, createSqlPublishStore } from '@hubspoke/map-connectors';
import { connectorFromConfig } from '../connectors.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { countOption, openDatabase, projectOf, stopIfInterrupted, withDatabase } from './options.js';

const STATUSES: OutboxStatus[] = ['pending', 'dead', 'dispatched'];
const VERB: Record<WorkflowEffect['type'], string> = {
  notify: 'send messages',
  createTask: 'create tasks',
  closeTask: 'close tasks',
};

/** How many entries have this status (the store lists at most 1000 at a time). */
async function countEffects(store: EffectOutbox, status: OutboxStatus): Promise<number> {
  let total = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = (await store.listEffects({ status, limit: 1000, offset })).length;
    total += page;
    if (page < 1000) return total;
  }
}
const CAPABILITIES = ['notify', 'createTask', 'closeTask'] as const;

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

/** The connectors named by `--connector a,b`, each able to perform at least one kind of effect. */
function connectorsFor(names: string, build: (name: string) => Connector): Connector[] {
  return names.split(',').map((name) => {
    const connector = build(name.trim());
    if (!CAPABILITIES.some((c) => connector.manifest.capabilities.includes(c))) {
      throw new UsageError(
        `--connector: ${name.trim()} (${connector.manifest.name}) cannot send messages or manage tasks; use e.g. slack, teams, asana or monday`,
      );
    }
    return connector;
  });
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
      .option('--status <status>', `list entries with this status: ${STATUSES.join(', ')}`, 'pending')
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
  async run(ctx, _args, options) {
    const status = options.status as string;
    if (!STATUSES.includes(status as OutboxStatus))
      throw new UsageError(`--status: expected one of ${STATUSES.join(', ')}, got "${status}"`);
    const limit = countOption(options.limit, '--limit', 1);
    const maxAttempts = countOption(options.maxAttempts, '--max-attempts', 1);
    const dispatch = options.dispatch === true;
    const names = options.connector as string | undefined;
    if (dispatch && names === undefined)
      throw new UsageError('--dispatch needs --connector <names>: which tools deliver the messages and tasks');
    if (!dispatch && (names !== undefined || options.watch === true || options.dropUnsupported === true))
      throw new UsageError('--connector, --watch and --drop-unsupported go with --dispatch');
    const project = await projectOf(ctx);
    const db = await openDatabase(ctx, project, options);
    try {
      // Task ids live in the same database as the publish map, so a later run can close the task an earlier one made.
      const store = createSqlPublishStore(db.sql);
      const connectors =
        names === undefined
          ? []
          : connectorsFor(names, (name) => connectorFromConfig(project, name, ctx.env, { store }));
      if (typeof options.requeue === 'string') {
        await db.store.requeueEffect(options.requeue);
        if (ctx.globals.json) ctx.term.printJson({ ok: true, requeued: options.requeue });
        else ctx.term.out(`requeued ${options.requeue}`);
        return EXIT.ok;
      }
      if (dispatch) {
        const failures: string[] = [];
        let dropped = 0;
        const deadBefore = await countEffects(db.store, 'dead');
        const report = await dispatchEffects(
          db.store,
          async (effect, { entry, signal }) => {
            let performed = false;
            for (const connector of connectors) {
              const outcome = await applyWorkflowEffect(connector, effect, { signal });
              // A failure throws, so the entry is tried again later (with every connector: tasks are
              // keyed by taskKey, so only a message can arrive twice).
              if (outcome.status === 'failed') {
                failures.push(
                  `${entry.id} via ${connector.manifest.id}: ${outcome.error.code} ${outcome.error.message}`,
                );
                throw new HubspokeError(outcome.error.code, `${connector.manifest.id}: ${outcome.error.message}`);
              }
              performed ||= outcome.status === 'done';
            }
            if (performed) return;
            // Nobody here can perform it: it stays queued for a run with a connector that can.
            if (options.dropUnsupported === true) {
              dropped++;
              return;
            }
            failures.push(
              `${entry.id}: no connector in --connector can ${VERB[effect.type]} (add one that can, or --drop-unsupported)`,
            );
            throw new HubspokeError('E_UNSUPPORTED', `no connector in --connector can ${VERB[effect.type]}`);
          },
          { signal: ctx.signal, watch: options.watch === true, maxAttempts },
        );
        // --watch ends with Ctrl-C, which is how it is meant to stop.
        if (options.watch !== true) stopIfInterrupted(ctx.signal);
        // Entries out of attempts go to the dead letters as they are claimed, so count the difference.
        const gaveUp = (await countEffects(db.store, 'dead')) - deadBefore;
        const ok = report.retried === 0 && gaveUp === 0;
        if (ctx.globals.json) ctx.term.printJson({ ok, ...report, dead: gaveUp, dropped, failures });
        else {
          ctx.term.out(
            `${String(report.dispatched - dropped)} delivered, ${String(report.retried)} to retry, ${String(gaveUp)} gave up${dropped === 0 ? '' : `, ${String(dropped)} dropped (no connector for them)`}`,
          );
          for (const f of failures) ctx.term.err(`  ${f}`);
          if (gaveUp > 0) ctx.term.err(`${String(gaveUp)} gave up for good: hubspoke effects --status dead`);
        }
        return ok ? EXIT.ok : EXIT.findings;
      }
      const entries = await db.store.listEffects({ status: status as OutboxStatus, limit });
      if (ctx.globals.json) ctx.term.printJson(entries);
      else if (entries.length === 0) ctx.term.out(`no ${status} effects`);
      else for (const entry of entries) ctx.term.out(line(entry));
      return EXIT.ok;
    } finally {
      await db.close();
    }
  },
};
