import { createHash } from 'node:crypto';
import {
  draftContentHash,
  HubspokeError,
  UPLOAD_ASSET_TYPES,
  isErrorCode,
  type BrandKit,
  type CheckResult,
  type Dialect,
  type Draft,
  type Principal,
  type PushEmailInput,
  type SendTestResult,
  type UploadAssetInput,
} from '@hubspoke/core';
import {
  createDryRunRecorder,
  hostEmailImages,
  pushEmails,
  type BulkReport,
  type DryRunRecord,
  type HostedImage,
  type HubspokeConnector,
  type TestSendOptions,
} from '@hubspoke/map-connectors';
import { render } from '@hubspoke/template-engine';
import { localesOf } from './check.js';
import { darkModeOption } from './dark-mode.js';
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
  /**
   * A seed list of `testSends.seedLists`: after the push, each locale is sent to it as a test
   * (allowed domains only, capped per hour, audited in the change feed).
   */
  testSend?: string;
  /** The connector that sends the tests (default: the push connector), e.g. an `smtp` one. */
  testConnector?: string;
  /** How brand-kit images are fetched for upload (default: the global `fetch`). */
  fetch?: typeof fetch;
}

export interface PushOutcome {
  connector: string;
  dialect: Dialect;
  dryRun: boolean;
  /** One item per locale: the remote id (created or updated), or the error that stopped it. */
  report: BulkReport;
  /** With `dryRun`: the requests that would have been sent. */
  requests?: DryRunRecord[];
  /**
   * Brand-kit images uploaded to the platform's file store, their `src` rewritten to the hosted
   * copies; `absent` when the connector has no file store (images stay at their URLs); with
   * `dryRun`, the approved images that would be uploaded (nothing is fetched or sent).
   */
  images: { uploaded: HostedImage[] } | { absent: true } | { wouldUpload: { src: string; asset: string }[] };
  /** With `testSend`: who each locale was sent to, through which connector. */
  testSends?: { connector: string; locale: string; result: SendTestResult }[];
}

const IMAGE_TYPES: readonly string[] = UPLOAD_ASSET_TYPES;

/** The approved brand-kit asset at `src` that the draft's region may use, if any. */
function approvedImages(brandKit: BrandKit, draft: Draft) {
  const approved: { id: string; url: string; licensedRegions: string[]; sha256?: string | undefined }[] = [
    ...brandKit.assets.filter((a) => a.kind !== 'file'),
    ...brandKit.logos.map((l) => ({ id: l.id, url: l.url, licensedRegions: ['*'] })),
  ];
  const region = draft.region;
  return (src: string) => {
    const asset = approved.find((a) => a.url === src);
    if (asset === undefined) return undefined;
    if (region !== undefined && !asset.licensedRegions.includes('*') && !asset.licensedRegions.includes(region))
      return undefined;
    return asset;
  };
}

/** The images a push would upload, found as hostEmailImages finds them; nothing is fetched or sent. */
async function plannedImages(connector: HubspokeConnector, emails: PushEmailInput[], brandKit: BrandKit, draft: Draft) {
  const approvedFor = approvedImages(brandKit, draft);
  const planned = new Map<string, { src: string; asset: string }>();
  for (const input of emails)
    await hostEmailImages(connector, input.email, (src) => {
      const asset = approvedFor(src);
      if (asset !== undefined) planned.set(src, { src, asset: asset.id });
      // Nothing to upload: the plan is the list of approved images found.
      return Promise.resolve(undefined);
    });
  return [...planned.values()];
}

/**
 * The image for `src` when it is an approved brand-kit asset the draft's region may use:
 * fetched, its type checked, and its SHA-256 checked against the kit's when the kit has one.
 */
function brandImages(brandKit: BrandKit, draft: Draft, fetchImpl: typeof fetch, signal?: AbortSignal) {
  const approvedFor = approvedImages(brandKit, draft);
  return async (src: string): Promise<UploadAssetInput | undefined> => {
    const asset = approvedFor(src);
    if (asset === undefined) return undefined;
    let response: Response;
    try {
      response = await fetchImpl(src, {
        redirect: 'error',
        signal:
          signal === undefined ? AbortSignal.timeout(30_000) : AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
      });
    } catch (cause) {
      throw new HubspokeError('E_UPSTREAM', `push: could not fetch brand asset ${asset.id} (${src})`, { cause });
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!response.ok || !IMAGE_TYPES.includes(type))
      throw new HubspokeError('E_UPSTREAM', `push: brand asset ${asset.id} answered HTTP ${response.status} ${type}`, {
        details: { asset: asset.id, status: response.status, contentType: type },
      });
    const bytes = Buffer.from(await response.arrayBuffer());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (asset.sha256 !== undefined && asset.sha256 !== sha256)
      throw new HubspokeError(
        'E_CONFLICT',
        `push: brand asset ${asset.id} is not the approved file (SHA-256 differs)`,
        {
          details: { asset: asset.id, expected: asset.sha256, got: sha256 },
        },
      );
    const last = new URL(src).pathname.split('/').at(-1) ?? '';
    return {
      // A plain file name (letters, digits, dot, dash, underscore), whatever the URL held.
      name: last.replace(/[^A-Za-z0-9._-]/g, '_') || `${asset.id}.img`,
      contentType: type as UploadAssetInput['contentType'],
      data: bytes.toString('base64'),
      sha256,
    };
  };
}

/** The seed list a push's test send goes to, checked against the draft's region. */
async function seedListOf(hub: Hub, name: string, draft: Draft) {
  const settings = await hub.settings();
  const testSends = settings.testSends;
  const list = testSends?.seedLists[name];
  if (testSends === undefined || list === undefined) {
    const known = Object.keys(testSends?.seedLists ?? {});
    throw new HubspokeError('E_NOT_FOUND', `--test-send: no seed list "${name}" in config.testSends.seedLists`, {
      path: 'testSend',
      hint: known.length > 0 ? `known: ${known.join(', ')}` : 'add testSends.seedLists to the hub config',
    });
  }
  if (list.region !== undefined && draft.region !== undefined && list.region !== draft.region)
    throw new HubspokeError(
      'E_FORBIDDEN',
      `--test-send: seed list "${name}" is for ${list.region}, the draft is for ${draft.region}`,
      { path: 'testSend' },
    );
  return { testSends, recipients: list.recipients };
}

/** `E_UNSUPPORTED` naming the connector and the capability it lacks. */
function absent(connector: HubspokeConnector, capability: string, why: string): HubspokeError {
  return new HubspokeError(
    'E_UNSUPPORTED',
    `${connector.instance} (${connector.manifest.name}) ${why} (capability ${capability} absent)`,
    {
      details: { connector: connector.instance, capability },
    },
  );
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
  const { publishStore, store } = await hub.state();
  const recorder = options.dryRun === true ? createDryRunRecorder() : undefined;
  const seeds = options.testSend === undefined ? undefined : await seedListOf(hub, options.testSend, draft);
  const testSendRuntime: TestSendOptions | undefined =
    seeds === undefined
      ? undefined
      : {
          allowedDomains: seeds.testSends.allowedDomains,
          maxPerHour: seeds.testSends.maxPerHour,
          audit: async (record) => {
            if (recorder === undefined)
              await store.recordTestSend(
                `${record.draftId}:${record.draftVersion}:${record.locale}`,
                principal.id,
                record,
              );
          },
        };
  const runtime = {
    store: publishStore,
    ...(recorder === undefined ? {} : { dryRun: recorder }),
    ...(testSendRuntime === undefined ? {} : { testSends: testSendRuntime }),
  };
  const connector = await connectorOf(hub, options.connector, runtime);
  const tester =
    seeds === undefined
      ? undefined
      : options.testConnector === undefined
        ? connector
        : await connectorOf(hub, options.testConnector, runtime);
  // Refuse before pushing anything: a test send the connector cannot do is a usage error, not a half-done push.
  if (tester !== undefined && tester.sendTest === undefined)
    throw absent(
      tester,
      'sendTest',
      'cannot send tests: the platform publishes no test-send operation; use an smtp connector (--test-connector)',
    );
  const dialect = connector.manifest.tokenDialect ?? 'preview';
  const { fieldMap } = await hub.settings();
  const dark = darkModeOption(await hub.brandKit());
  const inputs: PushEmailInput[] = [];
  for (const locale of localesOf(draft)) {
    const email = await render(template, draft, { locale, dialect, fieldMap, ...dark });
    inputs.push({ draftId: draft.id, draftVersion: draft.version, locale, name: draft.name, email });
  }
  // Approved brand images go into the platform's file store, and the email points at the hosted copies.
  let images: PushOutcome['images'] = { absent: true };
  if (connector.uploadAsset !== undefined && recorder !== undefined)
    images = { wouldUpload: await plannedImages(connector, inputs, await hub.brandKit(), draft) };
  else if (connector.uploadAsset !== undefined) {
    const load = brandImages(await hub.brandKit(), draft, options.fetch ?? fetch, options.signal);
    const uploaded = new Map<string, HostedImage>();
    for (const input of inputs) {
      const hosted = await hostEmailImages(
        connector,
        input.email,
        load,
        options.signal === undefined ? {} : { signal: options.signal },
      );
      input.email = hosted.email;
      for (const image of hosted.images) uploaded.set(image.src, image);
    }
    images = { uploaded: [...uploaded.values()] };
  }
  const report = await pushEmails(connector, inputs, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  let testSends: PushOutcome['testSends'];
  if (tester?.sendTest !== undefined && seeds !== undefined) {
    testSends = [];
    for (const item of report.items) {
      if (!item.ok) continue;
      const input = inputs.find((i) => i.locale === item.locale);
      const result = await tester.sendTest(
        {
          draftId: draft.id,
          draftVersion: draft.version,
          locale: item.locale,
          recipients: seeds.recipients,
          seedList: options.testSend ?? '',
          ...(input === undefined ? {} : { email: input.email }),
        },
        options.signal === undefined ? {} : { signal: options.signal },
      );
      testSends.push({ connector: tester.instance, locale: item.locale, result });
    }
  }
  return {
    connector: connector.manifest.id,
    dialect,
    dryRun: recorder !== undefined,
    report,
    images,
    ...(testSends === undefined ? {} : { testSends }),
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
