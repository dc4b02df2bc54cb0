import type { Verdict } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printResult } from '../output/review.js';
import type { CommandSpec } from '../program.js';
import { principalOf, withActor, withDatabase, withHub } from './options.js';

/** What people type, and the verdict it means. */
const VERBS: Record<string, Verdict> = {
  approve: 'approved',
  approved: 'approved',
  'approve-with-changes': 'approvedWithChanges',
  approvedWithChanges: 'approvedWithChanges',
  'request-changes': 'changesRequired',
  changesRequired: 'changesRequired',
  'changes-required': 'changesRequired',
  'not-relevant': 'notRelevant',
  notRelevant: 'notRelevant',
  reject: 'rejected',
  rejected: 'rejected',
  revoke: 'revoke',
  override: 'override',
  'force-approve': 'forceApprove',
  withdraw: 'withdraw',
};
const LISTED = [
  'approve',
  'approve-with-changes',
  'request-changes',
  'not-relevant',
  'reject',
  'revoke',
  'override',
  'force-approve',
  'withdraw',
];

export const decideCommand: CommandSpec = {
  name: 'decide',
  description: 'record a review decision: approve, approve-with-changes, request-changes, not-relevant, reject',
  examples: [
    'hubspoke decide austin-store-opening approve --as sam',
    'hubspoke decide austin-store-opening request-changes --as sam --reason "Add the opening hours"',
    'hubspoke decide austin-store-opening force-approve --as hana --reason "Launch signed off in ticket 123"',
    'hubspoke decide austin-store-opening withdraw --as jo',
  ],
  define: (c) =>
    withDatabase(
      withActor(
        c.argument('<submission>', 'submission id, draft id or draft file').argument('<decision>', LISTED.join(', ')),
      ),
    )
      .option('--reason <text>', 'why (required for override and force-approve)')
      .option('--stage <id>', 'the stage, when you review in more than one'),
  run: (ctx, [ref, verb], options) => {
    const reason = typeof options.reason === 'string' ? options.reason : undefined;
    // Usage is checked before the database is opened.
    const verdict = VERBS[verb ?? ''];
    if (verdict === undefined)
      throw new UsageError(`unknown decision "${verb ?? ''}"; use one of ${LISTED.join(', ')}`);
    if ((verdict === 'override' || verdict === 'forceApprove') && reason === undefined)
      throw new UsageError(`${verb ?? ''} needs --reason "<why>" (it is audited)`);
    return withHub(ctx, options, async (hub) => {
      const principal = await principalOf(ctx, hub, options);
      const result = await hub.decide(principal, ref ?? '', {
        verdict,
        ...(reason === undefined ? {} : { reason }),
        ...(typeof options.stage === 'string' ? { stageId: options.stage } : {}),
      });
      printResult(ctx, result, `${principal.id}: ${verb ?? ''} on ${result.submissionId}`);
      return EXIT.ok;
    });
  },
};
