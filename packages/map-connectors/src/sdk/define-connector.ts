import {
  CAPABILITY_SINCE,
  CONNECTOR_SPECIFICATION_VERSIONS,
  CampaignMetricsSchema,
  ConnectorManifestSchema,
  HubspokeError,
  SendTestInputSchema,
  UploadAssetInputSchema,
  assertTestRecipients,
  parse,
  safeParse,
  toHubspokeError,
  type CallOptions,
  type CampaignMetrics,
  type CheckResult,
  type Connector,
  type ConnectorCapability,
  type ConnectorManifest,
  type ConnectorManifestInput,
  type MetricsQuery,
  type NotifyInput,
  type PushEmailInput,
  type PushResult,
  type PushTemplateInput,
  type SendTestInput,
  type SendTestResult,
  type TaskInput,
  type TaskRef,
  type UploadAssetInput,
  type UploadAssetResult,
} from '@hubspoke/core';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AuthProvider } from './http/auth.js';
import type { RetryPolicy } from './http/backoff.js';
import { createDryRunRecorder, type DryRunRecorder } from './http/dry-run.js';
import { HttpClient, type Classifier } from './http/http-client.js';
import {
  MetricsQuerySchema,
  NotifyInputSchema,
  PushEmailSchema,
  PushTemplateSchema,
  TaskInputSchema,
  TaskRefSchema,
} from './inputs.js';
import { silentLogger, type Logger, type LogLevel } from './http/logger.js';
import {
  PublishClaimOptionsSchema,
  publishOnce,
  type PublishClaimOptions,
  type PublishSpec,
} from './publish/publish.js';
import { createMemoryPublishStore, type PublishRecord, type PublishStore } from './publish/publish-store.js';
import { Redactor } from './http/redact.js';
import { Throttle, type ThrottleLimits } from './http/throttle.js';

/** How one connector instance runs: logging, storage, dry run, transport and limits. */
export interface RuntimeOptions {
  /** Receives redacted structured log records. */
  logger?: Logger;
  /** Record requests instead of sending them: `true`, or a recorder to read them from. */
  dryRun?: boolean | DryRunRecorder;
  /** Where published ids are kept (default: in memory). Share one store across runs and processes for idempotency. */
  store?: PublishStore;
  /** Lease and wait of the claim that lets one publisher at a time create a key's asset (default `{ leaseMs: 30000, waitMs: 60000 }`). */
  publishClaim?: PublishClaimOptions;
  /** Names this instance in the store and logs, e.g. `marketo-emea` (default: the connector id). */
  instance?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Overrides the manifest's limits (e.g. a sandbox with other quotas, or a scaled-down fake). */
  limits?: ThrottleLimits;
  now?: () => number;
  random?: () => number;
  /** Test sends: the domains recipients must be in (without them `sendTest` refuses), an hourly cap and an audit sink. */
  testSends?: TestSendOptions;
}

/** How `sendTest` is guarded; the hub fills it from `testSends` in its config. */
export interface TestSendOptions {
  allowedDomains: readonly string[];
  /** Test sends per connector instance per rolling hour (default 20). */
  maxPerHour?: number;
  /** Receives a record before each send (a failure here stops the send) and one with its outcome. */
  audit?: (record: TestSendAudit) => void | Promise<void>;
}

/** One audited test send: requested, then sent, refused or failed. */
export interface TestSendAudit {
  at: string;
  connector: string;
  outcome: 'requested' | 'sent' | 'refused' | 'failed';
  draftId: string;
  draftVersion: number;
  locale: string;
  recipients: string[];
  seedList?: string;
  /** The error code when refused or failed. */
  code?: string;
  message?: string;
}

/** An upload as a connector receives it: the input, its decoded bytes and their SHA-256. */
export type AssetUpload = UploadAssetInput & { bytes: Buffer; sha256: string };

/** What a connector implementation gets to work with. */
export interface ConnectorContext<C> {
  readonly config: C;
  readonly manifest: ConnectorManifest;
  readonly instance: string;
  readonly redactor: Redactor;
  readonly store: PublishStore;
  readonly dryRun: DryRunRecorder | undefined;
  /** Shared by every client of this instance, so all calls count against one budget. */
  readonly throttle: Throttle;
  readonly logger: Logger;
  now(): number;
  /** An HTTP client sharing this instance's throttle, redaction, logs, retry policy and dry run. */
  http(options: { baseUrl?: string; classify?: Classifier; auth?: AuthProvider; throttle?: Throttle }): HttpClient;
  /** Task keys → remote task ids, kept in the instance's store (so a retried effect makes one task). */
  readonly tasks: TaskMap;
  /**
   * The remote email a draft version was pushed as through this instance's store; `E_NOT_FOUND`
   * (at `test.draftId`) when it was not pushed yet: a test send sends what was pushed.
   */
  pushedEmail(input: { draftId: string; draftVersion: number; locale: string }): Promise<PublishRecord>;
  /** Idempotent publish through this instance's store (see `publishOnce`). */
  publish(
    spec: Omit<PublishSpec, 'key'> & { key: Omit<PublishSpec['key'], 'connector'> },
    http: Pick<HttpClient, 'log'>,
  ): Promise<PushResult>;
}

export interface TaskMap {
  get(taskKey: string): Promise<TaskRef | undefined>;
  put(ref: TaskRef): Promise<void>;
  /** The ref with its remote id filled in from the store when it arrives empty; `E_NOT_FOUND` when unknown. */
  resolve(ref: TaskRef): Promise<TaskRef>;
}

function taskMap(store: PublishStore, instance: string, dryRun: boolean, now: () => number): TaskMap {
  const key = (taskKey: string) => ({
    connector: instance,
    kind: 'task' as const,
    sourceId: taskKey,
    version: 1,
    locale: '',
  });
  const get = async (taskKey: string): Promise<TaskRef | undefined> => {
    const found = await store.get(key(taskKey));
    return found === undefined
      ? undefined
      : { taskKey, remoteId: found.remoteId, ...(found.url === undefined ? {} : { url: found.url }) };
  };
  return {
    get,
    async put(ref) {
      if (!dryRun)
        await store.put({
          ...key(ref.taskKey),
          remoteId: ref.remoteId,
          ...(ref.url === undefined ? {} : { url: ref.url }),
          updatedAt: new Date(now()).toISOString(),
        });
    },
    async resolve(ref) {
      if (ref.remoteId !== '') return ref;
      const found = await get(ref.taskKey);
      if (found === undefined)
        throw new HubspokeError(
          'E_NOT_FOUND',
          `No task is known for key "${ref.taskKey}" (was it created through this store?)`,
          { path: 'task.taskKey' },
        );
      return found;
    },
  };
}

/** The methods a connector implements; inputs arrive validated, errors are redacted for you. */
export interface ConnectorImplementation {
  check(options: CallOptions): Promise<CheckResult>;
  pushTemplate?(input: PushTemplateInput, options: CallOptions): Promise<PushResult>;
  pushEmail?(input: PushEmailInput, options: CallOptions): Promise<PushResult>;
  pullMetrics?(query: MetricsQuery, options: CallOptions): AsyncIterable<CampaignMetrics>;
  createTask?(input: TaskInput, options: CallOptions): Promise<TaskRef>;
  closeTask?(ref: TaskRef, outcome: string, options: CallOptions): Promise<void>;
  notify?(input: NotifyInput, options: CallOptions): Promise<void>;
  /** Arrives with its recipients checked against the allowed domains and within the hourly cap; audited by the SDK. */
  sendTest?(input: SendTestInput, options: CallOptions): Promise<SendTestResult>;
  /** Arrives decoded, its type checked against the bytes; deduplicate through `ctx.publish` with kind `asset`. */
  uploadAsset?(input: AssetUpload, options: CallOptions): Promise<UploadAssetResult>;
  /** Vendor-specific operations beyond the contract (e.g. registering a webhook); they validate their own input. */
  actions?: Record<string, (input: unknown, options: CallOptions) => Promise<unknown>>;
}

type ConfigShape = z.ZodObject;

export interface ConnectorSpec<S extends ConfigShape> {
  manifest: Omit<ConnectorManifestInput, 'specificationVersion' | 'configSchema' | 'secrets'> & {
    secrets?: (keyof z.output<S> & string)[];
  };
  /** Flat config (string, number, boolean values) so it fits `hubspoke.config` connector entries. */
  config: S;
  create(context: ConnectorContext<z.output<S>>): ConnectorImplementation;
}

/** A connector as the SDK builds it: core's contract plus its instance name. */
export interface HubspokeConnector extends Connector {
  readonly instance: string;
  /** Vendor-specific operations beyond the contract, errors redacted like the rest. */
  readonly actions: Readonly<Record<string, (input: unknown, options?: CallOptions) => Promise<unknown>>>;
}

export interface ConnectorDefinition<S extends ConfigShape = ConfigShape> {
  readonly manifest: ConnectorManifest;
  readonly configSchema: S;
  /** Validates `config` (`E_VALIDATION` naming the bad key) and builds an instance. Missing secrets surface as `E_AUTH` on use. */
  create(config: unknown, options?: RuntimeOptions): HubspokeConnector;
}

const METHODS = [
  'pushTemplate',
  'pushEmail',
  'pullMetrics',
  'createTask',
  'closeTask',
  'notify',
  'sendTest',
  'uploadAsset',
] as const;

/** The oldest contract version that has every capability the manifest declares. */
function specificationVersionFor(capabilities: readonly string[]) {
  const needed = capabilities.map((c) =>
    CONNECTOR_SPECIFICATION_VERSIONS.indexOf(CAPABILITY_SINCE[c as keyof typeof CAPABILITY_SINCE]),
  );
  return CONNECTOR_SPECIFICATION_VERSIONS[Math.max(0, ...needed)] ?? 'v1';
}

/**
 * Declares a connector: a manifest (validated against core's schema, with the JSON Schema
 * of `config` filled in) and a factory. The SDK validates inputs, redacts every error, maps
 * missing credentials to `E_AUTH`, and turns `check()` failures into `{ ok: false }`.
 */
export function defineConnector<S extends ConfigShape>(spec: ConnectorSpec<S>): ConnectorDefinition<S> {
  const configSchema = z.toJSONSchema(spec.config, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const manifest = parse(
    ConnectorManifestSchema,
    {
      ...spec.manifest,
      specificationVersion: specificationVersionFor(spec.manifest.capabilities),
      configSchema,
      secrets: spec.manifest.secrets ?? [],
    },
    `${spec.manifest.id} manifest`,
  );
  const secretKeys = manifest.secrets;
  const lenient = spec.config.partial(Object.fromEntries(secretKeys.map((key) => [key, true])) as Record<string, true>);

  return {
    manifest,
    configSchema: spec.config,
    create(config, options = {}) {
      const instance = options.instance ?? manifest.id;
      const parsed = safeParse(lenient, config, `connectors.${instance}.config`);
      if (!parsed.ok) throw parsed.error;
      const claim = parse(PublishClaimOptionsSchema, options.publishClaim ?? {}, 'options.publishClaim');
      const values = parsed.value as Record<string, unknown>;
      // Optional secrets (e.g. "a bot token or a webhook URL") are the connector's own business.
      const shape = spec.config.shape as Record<string, z.ZodType | undefined>;
      const required = secretKeys.filter((key) => !(shape[key]?.safeParse(undefined).success ?? false));
      const missing = required.filter((key) => typeof values[key] !== 'string' || values[key] === '');
      const redactor = new Redactor(
        secretKeys.map((key) => values[key]).filter((v): v is string => typeof v === 'string'),
      );
      if (missing.length > 0) return missingCredentials(manifest, instance, missing);

      const dryRun =
        options.dryRun === true ? createDryRunRecorder() : options.dryRun === false ? undefined : options.dryRun;
      const logger = options.logger ?? silentLogger;
      const now = options.now ?? Date.now;
      const limits: ThrottleLimits = { ...manifest.limits, ...options.limits };
      const throttle = new Throttle(limits, now);
      const store = options.store ?? createMemoryPublishStore();
      const context: ConnectorContext<z.output<S>> = {
        config: parsed.value as z.output<S>,
        manifest,
        instance,
        redactor,
        store,
        dryRun,
        throttle,
        logger,
        now,
        http: (http) =>
          new HttpClient({
            connector: instance,
            vendor: manifest.name,
            redactor,
            logger,
            throttle: http.throttle ?? throttle,
            ...(http.baseUrl === undefined ? {} : { baseUrl: http.baseUrl }),
            ...(http.classify === undefined ? {} : { classify: http.classify }),
            ...(http.auth === undefined ? {} : { auth: http.auth }),
            ...(options.retry === undefined ? {} : { retry: options.retry }),
            ...(dryRun === undefined ? {} : { dryRun }),
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
            now,
            ...(options.random === undefined ? {} : { random: options.random }),
          }),
        tasks: taskMap(store, instance, dryRun !== undefined, now),
        pushedEmail: async ({ draftId, draftVersion, locale }) => {
          const key = { connector: instance, kind: 'email' as const, sourceId: draftId, version: draftVersion, locale };
          const found = await store.get(key);
          if (found === undefined && dryRun !== undefined)
            return { ...key, remoteId: 'dry-run', updatedAt: new Date(now()).toISOString() };
          if (found === undefined)
            throw new HubspokeError(
              'E_NOT_FOUND',
              `test.draftId: ${draftId} v${draftVersion} ${locale} has not been pushed to ${instance}; push it first`,
              { path: 'test.draftId' },
            );
          return found;
        },
        publish: (publishSpec, http) =>
          publishOnce(
            { store, http, dryRun: dryRun !== undefined, now, claim },
            { ...publishSpec, key: { ...publishSpec.key, connector: instance } },
          ),
      };
      const implementation = spec.create(context);
      assertCapabilities(manifest, implementation);
      return wrap(manifest, instance, implementation, redactor, { testSends: options.testSends, now });
    },
  };
}

function assertCapabilities(manifest: ConnectorManifest, implementation: ConnectorImplementation): void {
  for (const method of METHODS) {
    const declared = manifest.capabilities.includes(method);
    const implemented = typeof implementation[method] === 'function';
    if (declared !== implemented) {
      throw new HubspokeError(
        'E_INTERNAL',
        `Connector ${manifest.id}: capability "${method}" is ${declared ? 'declared but not implemented' : 'implemented but not declared'}`,
      );
    }
  }
}

/** Validates inputs, checks the signal, and redacts whatever is thrown. */
function wrap(
  manifest: ConnectorManifest,
  instance: string,
  impl: ConnectorImplementation,
  redactor: Redactor,
  runtime: { testSends: TestSendOptions | undefined; now: () => number },
): HubspokeConnector {
  const clean = (error: unknown): HubspokeError => redactor.error(error);
  const guard = async <T>(name: string, options: CallOptions | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      throwIfAborted(options, `${manifest.name} ${name}`);
      return await run();
    } catch (error) {
      throw clean(error);
    }
  };
  const actions = Object.fromEntries(
    Object.entries(impl.actions ?? {}).map(([name, action]) => [
      name,
      (input: unknown, options: CallOptions = {}) => guard(name, options, () => action(input, options)),
    ]),
  );
  const connector: HubspokeConnector = {
    specificationVersion: manifest.specificationVersion,
    manifest,
    instance,
    actions,
    async check(options = {}) {
      try {
        throwIfAborted(options, `${manifest.name} check`);
        return redactor.redactDeep(await impl.check(options));
      } catch (error) {
        const e = clean(error);
        if (e.code === 'E_ABORTED' || e.code === 'E_INTERNAL') throw e;
        return { ok: false, message: e.message, details: { code: e.code, ...e.details } };
      }
    },
  };
  const pushTemplate = impl.pushTemplate?.bind(impl);
  if (pushTemplate)
    connector.pushTemplate = (input, options = {}) =>
      guard('pushTemplate', options, () =>
        pushTemplate(parse(PushTemplateSchema, input, 'template') as PushTemplateInput, options),
      );
  const pushEmail = impl.pushEmail?.bind(impl);
  if (pushEmail)
    connector.pushEmail = (input, options = {}) =>
      guard('pushEmail', options, () => pushEmail(parse(PushEmailSchema, input, 'email'), options));
  const createTask = impl.createTask?.bind(impl);
  if (createTask)
    connector.createTask = (input, options = {}) =>
      guard('createTask', options, () => createTask(parse(TaskInputSchema, input, 'task') as TaskInput, options));
  const closeTask = impl.closeTask?.bind(impl);
  if (closeTask) {
    connector.closeTask = (ref, outcome, options = {}) =>
      guard('closeTask', options, () =>
        closeTask(
          parse(TaskRefSchema, ref, 'task') as TaskRef,
          parse(z.string().min(1).max(100), outcome, 'outcome'),
          options,
        ),
      );
  }
  const notify = impl.notify?.bind(impl);
  if (notify)
    connector.notify = (input, options = {}) =>
      guard('notify', options, () => notify(parse(NotifyInputSchema, input, 'message') as NotifyInput, options));
  const sendTest = impl.sendTest?.bind(impl);
  if (sendTest) {
    const guarded = guardedTestSend(instance, runtime.testSends, runtime.now);
    connector.sendTest = (input, options = {}) =>
      guard('sendTest', options, () =>
        guarded(parse(SendTestInputSchema, input, 'test'), (valid) => sendTest(valid, options)),
      );
  }
  const uploadAsset = impl.uploadAsset?.bind(impl);
  if (uploadAsset)
    connector.uploadAsset = (input, options = {}) =>
      guard('uploadAsset', options, () =>
        uploadAsset(decodeAsset(parse(UploadAssetInputSchema, input, 'asset')), options),
      );
  const pullMetrics = impl.pullMetrics?.bind(impl);
  if (pullMetrics) {
    connector.pullMetrics = (query, options = {}) => ({
      async *[Symbol.asyncIterator]() {
        let iterator: AsyncIterator<CampaignMetrics> | undefined;
        try {
          throwIfAborted(options, `${manifest.name} pullMetrics`);
          const valid = parse(MetricsQuerySchema, query, 'query') as MetricsQuery;
          if (Date.parse(valid.until) <= Date.parse(valid.since))
            throw new HubspokeError(
              'E_VALIDATION',
              `query.until: expected a time after query.since (${valid.since}), got ${valid.until}`,
              { path: 'query.until' },
            );
          iterator = pullMetrics(valid, options)[Symbol.asyncIterator]();
          for (let index = 0; ; index++) {
            const next = await iterator.next();
            if (next.done === true) return;
            yield parse(CampaignMetricsSchema, next.value, `metrics[${index}]`);
          }
        } catch (error) {
          throw clean(error);
        } finally {
          await iterator?.return?.();
        }
      },
    });
  }
  return connector;
}

function throwIfAborted(options: CallOptions | undefined, what: string): void {
  if (options?.signal?.aborted === true) throw new HubspokeError('E_ABORTED', `${what} was cancelled`);
}

/** An instance whose credentials are missing: `check()` says which, every other call throws `E_AUTH`. */
function missingCredentials(manifest: ConnectorManifest, instance: string, missing: string[]): HubspokeConnector {
  const message = `${manifest.name}: missing credentials ${missing.map((k) => `"${k}"`).join(', ')} (set them in connectors.${instance}.config, e.g. from an environment variable)`;
  const error = () =>
    new HubspokeError('E_AUTH', message, {
      details: { connector: instance, missing },
      path: `connectors.${instance}.config.${missing[0] ?? ''}`,
    });
  const connector: HubspokeConnector = {
    specificationVersion: manifest.specificationVersion,
    manifest,
    instance,
    actions: {},
    check: () => Promise.resolve({ ok: false, message, details: { code: 'E_AUTH', missing } }),
  };
  const rejecting = () => Promise.reject(error());
  const has = (capability: ConnectorCapability) => manifest.capabilities.includes(capability);
  if (has('pushTemplate')) connector.pushTemplate = rejecting;
  if (has('pushEmail')) connector.pushEmail = rejecting;
  if (has('createTask')) connector.createTask = rejecting;
  if (has('closeTask')) connector.closeTask = rejecting;
  if (has('notify')) connector.notify = rejecting;
  if (has('sendTest')) connector.sendTest = rejecting;
  if (has('uploadAsset')) connector.uploadAsset = rejecting;
  if (has('pullMetrics')) {
    connector.pullMetrics = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error()) }),
    });
  }
  return connector;
}

export type { LogLevel };

/**
 * The guard every `sendTest` runs through: recipients in the allowed domains, at most
 * `maxPerHour` sends per instance in any rolling hour, and an audit record before (whose
 * failure stops the send) and after.
 */
function guardedTestSend(instance: string, options: TestSendOptions | undefined, now: () => number) {
  const sentAt: number[] = [];
  return async (input: SendTestInput, send: (input: SendTestInput) => Promise<SendTestResult>) => {
    const record = (outcome: TestSendAudit['outcome'], error?: HubspokeError): TestSendAudit => ({
      at: new Date(now()).toISOString(),
      connector: instance,
      outcome,
      draftId: input.draftId,
      draftVersion: input.draftVersion,
      locale: input.locale,
      recipients: [...input.recipients],
      ...(input.seedList === undefined ? {} : { seedList: input.seedList }),
      ...(error === undefined ? {} : { code: error.code, message: error.message }),
    });
    const audit = async (entry: TestSendAudit) => {
      await options?.audit?.(entry);
    };
    try {
      assertTestRecipients(input.recipients, options?.allowedDomains, 'test.recipients');
      const hour = now() - 3_600_000;
      while (sentAt.length > 0 && (sentAt[0] ?? 0) <= hour) sentAt.shift();
      const cap = options?.maxPerHour ?? 20;
      if (sentAt.length >= cap)
        throw new HubspokeError(
          'E_RATE_LIMITED',
          `Test sends are limited to ${cap} per hour per connector; try again later`,
          {
            details: { retryAfterMs: (sentAt[0] ?? now()) + 3_600_000 - now() },
          },
        );
    } catch (error) {
      await audit(record('refused', toHubspokeError(error)));
      throw error;
    }
    await audit(record('requested'));
    sentAt.push(now());
    try {
      const result = await send(input);
      await audit(record('sent'));
      return result;
    } catch (error) {
      await audit(record('failed', toHubspokeError(error)));
      throw error;
    }
  };
}

const MAX_ASSET_BYTES = 10_000_000;
const SIGNATURES: Record<UploadAssetInput['contentType'], (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) =>
    b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** Decodes an upload, checks its size, that the bytes are the type it claims, and its SHA-256 when given. */
function decodeAsset(input: UploadAssetInput): AssetUpload {
  const bytes = Buffer.from(input.data, 'base64');
  if (bytes.length > MAX_ASSET_BYTES)
    throw new HubspokeError('E_VALIDATION', `asset.data: at most 10 MB, got ${bytes.length} bytes`, {
      path: 'asset.data',
    });
  if (!SIGNATURES[input.contentType](bytes))
    throw new HubspokeError('E_VALIDATION', `asset.data: the bytes are not a ${input.contentType} image`, {
      path: 'asset.data',
    });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (input.sha256 !== undefined && input.sha256 !== sha256)
    throw new HubspokeError('E_VALIDATION', `asset.sha256: the data hashes to ${sha256}, not ${input.sha256}`, {
      path: 'asset.sha256',
    });
  return { ...input, bytes, sha256 };
}
