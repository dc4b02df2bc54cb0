import {
  draftContentHash,
  HubspokeError,
  isErrorCode,
  type CheckResult,
  type Dialect,
  type Principal,
  type PushEmailInput,
} from '@hubspoke/core';
import { createDryRunRecorder, pushEmails, type BulkReport, type DryRunRecord } from '@hubspoke/map-connectors';
import { render } from '@hubspoke/template-engine';
import { localesOf } from './check.js';
import { connectorOf } from './connectors.js';
import type { Hub } from './hub.js';
import { submissionsOf } from './review.js';

export interface PushOptions {
  /** A connector of the hub's settings (default: `defaultConnector`). */
  connector?: string;
  /** Record the requests (credentials redacted) and send nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PushOutcome {
  connector: string;
  dialect: Dialect;
  dryRun: boolean;
  /** One item per locale: the remote id (created or updated), or the error that stopped it. */
  report: BulkReport;
  /** With `dryRun`: the requests that would have been sent. */
  requests?: DryRunRecord[];
}

/**
 * Publishes a draft in every locale through a connector, idempotently (the publish map in the
 * hub's database makes a second push update the same assets). Needs `email.push` on the draft and
 * an approved submission whose pinned content hash is the draft's as it is now (`E_FORBIDDEN`
 * otherwise: a draft changed after approval is reviewed again).
 */
export async function push(
  hub: Hub,
  principal: Principal,
  draftRef: string,
  options: PushOptions = {},
): Promise<PushOutcome> {
  const { draft } = await hub.draft(draftRef);
  await hub.authorize(principal, 'email.push', { region: draft.region, team: draft.team, ownerId: draft.author });
  const template = await hub.template(draft.template.id, draft.template.version);
  const approvals = await hub.approvals();
  const approved = await Promise.all(
    (await submissionsOf(hub, principal, draft.id))
      .filter((s) => s.status === 'approved')
      .map((s) => approvals.status(principal, s.submissionId)),
  );
  const hash = draftContentHash(draft, template);
  if (!approved.some((s) => s.approvedContentHash === hash))
    throw new HubspokeError(
      'E_FORBIDDEN',
      `push: ${draft.id} v${draft.version} is not approved as it is now${approved.length > 0 ? ' (it changed after approval)' : ''}`,
      {
        details: { reason: approved.length > 0 ? 'changedAfterApproval' : 'notApproved', draftId: draft.id },
        hint: `submit it for review: hubspoke submit ${draft.id} --as ${draft.author}`,
      },
    );
  const { publishStore } = await hub.state();
  const recorder = options.dryRun === true ? createDryRunRecorder() : undefined;
  const connector = await connectorOf(hub, options.connector, {
    store: publishStore,
    ...(recorder === undefined ? {} : { dryRun: recorder }),
  });
  const dialect = connector.manifest.tokenDialect ?? 'preview';
  const { fieldMap } = await hub.settings();
  const inputs: PushEmailInput[] = [];
  for (const locale of localesOf(draft)) {
    const email = await render(template, draft, { locale, dialect, fieldMap });
    inputs.push({ draftId: draft.id, draftVersion: draft.version, locale, name: draft.name, email });
  }
  const report = await pushEmails(connector, inputs, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return {
    connector: connector.manifest.id,
    dialect,
    dryRun: recorder !== undefined,
    report,
    ...(recorder === undefined ? {} : { requests: recorder.records }),
  };
}

/** Verifies a connector's credentials; `E_AUTH` (or the connector's code) when they do not work. */
export async function checkConnector(
  hub: Hub,
  name: string | undefined,
  options: { signal?: AbortSignal } = {},
): Promise<CheckResult & { connector: string; name: string }> {
  const connector = await connectorOf(hub, name);
  const result = await connector.check(options.signal === undefined ? {} : { signal: options.signal });
  if (!result.ok) {
    const code = result.details?.code;
    throw new HubspokeError(isErrorCode(code) ? code : 'E_AUTH', `${connector.manifest.id}: ${result.message}`);
  }
  return { ...result, connector: connector.manifest.id, name: connector.manifest.name };
}
