import type { Verdict } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printResult } from '../output/review.js';
import { DECISIONS } from '../commands/decide.js';
import type { CommandSpec } from '../program.js';
import { principalOf, withHub } from './hub-context.js';

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

export const run: CommandSpec['run'] = (ctx, [ref, verb], options) => {
  const reason = typeof options.reason === 'string' ? options.reason : undefined;
  // Usage is checked before the database is opened.
  const verdict = VERBS[verb ?? ''];
  if (verdict === undefined)
    throw new UsageError(`unknown decision "${verb ?? ''}"; use one of ${DECISIONS.join(', ')}`);
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
};
