import {
  CONNECTOR_CAPABILITIES,
  CONNECTOR_SPECIFICATION_VERSIONS,
  ConnectorManifestSchema,
  isHubspokeError,
  type Connector,
  type PushEmailInput,
} from '@hubspoke/core';
import { createDryRunRecorder } from '../sdk/http/dry-run.js';
import type { RuntimeOptions } from '../sdk/define-connector.js';
import { memoryLogger } from '../sdk/http/logger.js';
import { samplePng, samplePushEmailInput } from './fixtures.js';

/** Faults the kit asks the harness to inject into the vendor (usually a fake server). */
export type ConformanceFault = 'transient' | 'rate-limited' | 'fatal';

export interface ConformanceOptions {
  /**
   * Builds the connector under test with the given runtime options (the kit passes its own
   * logger and dry-run recorder). `credentials: 'invalid'` must give credentials the vendor rejects.
   */
  create(options: RuntimeOptions & { credentials: 'valid' | 'invalid' }): Connector | Promise<Connector>;
  /** The secret values in the valid configuration; none may appear in logs, errors or dry-run records. */
  secrets: string[];
  /** The connector takes no credentials (like `fs`): the invalid-credential checks are skipped. */
  noCredentials?: boolean;
  /** Push inputs (default: `samplePushEmailInput`). */
  sampleEmail?: (n: number) => PushEmailInput;
  /**
   * Makes the vendor fail the next request: `transient` (a 5xx or reset the connector should
   * ride out), `rate-limited` (the vendor's throttle signal), `fatal` (a refusal that must
   * surface as a HubspokeError). Without it the error-classification checks are skipped.
   */
  injectFault?: (fault: ConformanceFault) => void;
}

export interface ConformanceCheck {
  name: string;
  /** Why the check does not apply to this connector, if it does not. */
  skip?: string;
  run(): Promise<void>;
}

class ConformanceError extends Error {
  override name = 'ConformanceError';
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new ConformanceError('expected the call to fail, but it succeeded');
}

const forms = (secret: string) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];

/**
 * The contract checks, runner-agnostic: each `run()` throws when the connector breaks the
 * contract. `describeConformance` (from `@hubspoke/map-connectors/testkit/vitest`) registers them with vitest.
 */
export function conformanceChecks(options: ConformanceOptions): ConformanceCheck[] {
  const sample = options.sampleEmail ?? ((n: number) => samplePushEmailInput(n));
  const valid = (extra: RuntimeOptions = {}) => Promise.resolve(options.create({ ...extra, credentials: 'valid' }));
  const invalid = (extra: RuntimeOptions = {}) => Promise.resolve(options.create({ ...extra, credentials: 'invalid' }));
  const has = async (capability: (typeof CONNECTOR_CAPABILITIES)[number]) =>
    (await valid()).manifest.capabilities.includes(capability);

  const checks: ConformanceCheck[] = [
    {
      name: 'manifest matches core’s schema and the implemented methods',
      async run() {
        const connector = await valid();
        const parsed = ConnectorManifestSchema.safeParse(connector.manifest);
        assert(parsed.success, `manifest does not match ConnectorManifestSchema: ${parsed.error?.message ?? ''}`);
        assert(
          (CONNECTOR_SPECIFICATION_VERSIONS as readonly string[]).includes(connector.manifest.specificationVersion) &&
            connector.specificationVersion === connector.manifest.specificationVersion,
          `specificationVersion must be one of ${CONNECTOR_SPECIFICATION_VERSIONS.join(', ')} and match the manifest's`,
        );
        assert(connector.manifest.configSchema.type === 'object', 'configSchema must be a JSON Schema of an object');
        for (const capability of CONNECTOR_CAPABILITIES) {
          const declared = connector.manifest.capabilities.includes(capability);
          const implemented = typeof connector[capability] === 'function';
          assert(
            declared === implemented,
            `capability "${capability}" is ${declared ? 'declared but has no method' : 'implemented but not declared'}`,
          );
        }
      },
    },
    {
      name: 'check() succeeds with valid credentials and answers { ok: false, code E_AUTH } for invalid ones',
      async run() {
        const good = await (await valid()).check();
        assert(good.ok, `check() with valid credentials said: ${good.message}`);
        if (options.noCredentials === true) return;
        const bad = await (await invalid()).check();
        assert(!bad.ok, 'check() with invalid credentials said ok');
        assert(
          bad.details?.code === 'E_AUTH',
          `check() with invalid credentials should report details.code E_AUTH, got ${String(bad.details?.code)}`,
        );
      },
    },
    {
      name: 'pushing the same version twice updates one remote asset',
      async run() {
        if (!(await has('pushEmail'))) return;
        const connector = await valid();
        const push = connector.pushEmail?.bind(connector);
        if (push === undefined) return;
        const first = await push(sample(1));
        const second = await push(sample(1));
        assert(first.created, 'the first push should report created: true');
        assert(
          second.remoteId === first.remoteId,
          `re-push gave remote id ${second.remoteId}, expected ${first.remoteId}`,
        );
        assert(!second.created, 'the re-push should report created: false');
        const other = await push({ ...sample(1), locale: 'fr' });
        assert(other.remoteId !== first.remoteId, 'another locale must be another remote asset');
      },
    },
    {
      name: 'uploading the same image twice stores it once (v1.1 uploadAsset)',
      async run() {
        if (!(await has('uploadAsset'))) return;
        const connector = await valid();
        const upload = connector.uploadAsset?.bind(connector);
        if (upload === undefined) return;
        const first = await upload({ name: 'conformance.png', contentType: 'image/png', data: samplePng });
        const second = await upload({ name: 'conformance-again.png', contentType: 'image/png', data: samplePng });
        assert(first.created, 'the first upload should report created: true');
        assert(/^https?:\/\//.test(first.url), `the upload should answer an http(s) URL, got ${first.url}`);
        assert(
          second.remoteId === first.remoteId && second.url === first.url && !second.created,
          'the same bytes uploaded again must answer the first upload with created: false',
        );
      },
    },
    {
      name: 'test sends go only to the allowed domains (v1.1 sendTest)',
      async run() {
        if (!(await has('sendTest'))) return;
        const connector = await valid({ testSends: { allowedDomains: ['hubspoke.test'] } });
        const send = connector.sendTest?.bind(connector);
        if (send === undefined) return;
        const input = sample(7);
        if (connector.pushEmail !== undefined) await connector.pushEmail(input);
        const error = await rejection(
          send({
            draftId: input.draftId,
            draftVersion: input.draftVersion,
            locale: input.locale,
            recipients: ['seed@hubspoke.test', 'outsider@example.com'],
            email: input.email,
          }),
        );
        assert(isHubspokeError(error, 'E_FORBIDDEN'), `expected E_FORBIDDEN, got ${String(error)}`);
      },
    },
    {
      name: 'bad input is refused with E_VALIDATION before anything is sent',
      async run() {
        const connector = await valid();
        if (connector.pushEmail !== undefined) {
          const error = await rejection(connector.pushEmail({ ...sample(9), draftVersion: -1 }));
          assert(isHubspokeError(error, 'E_VALIDATION'), `expected E_VALIDATION, got ${String(error)}`);
        }
        if (connector.createTask !== undefined) {
          const error = await rejection(connector.createTask({ taskKey: '', title: '', submissionId: '' }));
          assert(isHubspokeError(error, 'E_VALIDATION'), `expected E_VALIDATION, got ${String(error)}`);
        }
      },
    },
    {
      name: 'failures are classified: transient ones are ridden out, throttling is waited out, refusals surface as HubspokeError',
      ...(options.injectFault === undefined ? { skip: 'no injectFault given' } : {}),
      async run() {
        const inject = options.injectFault;
        if (inject === undefined) return;
        const connector = await valid();
        const call = async () => {
          if (connector.pushEmail !== undefined) await connector.pushEmail(sample(2));
          else if (connector.notify !== undefined) await connector.notify({ title: 'Conformance', text: 'check' });
          else await connector.check();
        };
        inject('transient');
        await call();
        inject('rate-limited');
        await call();
        inject('fatal');
        const error = await rejection(
          (async () => {
            if (connector.pushEmail !== undefined) await connector.pushEmail(sample(3));
            else if (connector.notify !== undefined) await connector.notify({ title: 'Conformance', text: 'check' });
            else {
              const result = await connector.check();
              if (!result.ok) throw Object.assign(new Error(result.message), result.details);
            }
          })(),
        );
        assert(
          isHubspokeError(error) || (error as { code?: unknown }).code !== undefined,
          `a refusal must surface as a HubspokeError with a code, got ${String(error)}`,
        );
      },
    },
    {
      name: 'no secret appears in logs, errors, check() results or dry-run records',
      async run() {
        const logger = memoryLogger();
        const dryRun = createDryRunRecorder();
        const seen: unknown[] = [];
        if (options.noCredentials !== true) {
          const bad = await invalid({ logger });
          seen.push(await bad.check());
          if (bad.pushEmail)
            seen.push(
              await rejection(bad.pushEmail(sample(4))).then((e) => [
                String(e),
                (e as { toJSON?: () => unknown }).toJSON?.(),
              ]),
            );
        }
        const good = await valid({ logger });
        seen.push(await good.check());
        const dry = await valid({ logger, dryRun });
        if (dry.pushEmail) await dry.pushEmail(sample(5));
        else if (dry.notify) await dry.notify({ title: 'Conformance', text: 'dry run' });
        const haystack = JSON.stringify([seen, logger.records, dryRun.records]);
        for (const secret of options.secrets) {
          for (const form of forms(secret))
            assert(!haystack.includes(form), 'a secret appeared in a log line, error or dry-run record');
        }
      },
    },
    {
      name: 'an aborted signal cancels calls with E_ABORTED',
      async run() {
        const connector = await valid();
        const controller = new AbortController();
        controller.abort();
        const signal = controller.signal;
        const error = await rejection(connector.check({ signal }));
        assert(
          isHubspokeError(error, 'E_ABORTED'),
          `check() with an aborted signal should throw E_ABORTED, got ${String(error)}`,
        );
        if (connector.pushEmail) {
          const pushError = await rejection(connector.pushEmail(sample(6), { signal }));
          assert(
            isHubspokeError(pushError, 'E_ABORTED'),
            `pushEmail() with an aborted signal should throw E_ABORTED, got ${String(pushError)}`,
          );
        }
      },
    },
    {
      name: 'creating the same task key twice yields one task',
      async run() {
        const connector = await valid();
        if (connector.createTask === undefined) return;
        const task = { taskKey: 'conformance:task', title: 'Conformance task', submissionId: 'conformance' };
        const a = await connector.createTask(task);
        const b = await connector.createTask(task);
        assert(a.remoteId === b.remoteId, `the same task key gave ${a.remoteId} and ${b.remoteId}`);
        if (connector.closeTask) await connector.closeTask(a, 'approved');
      },
    },
  ];
  return checks;
}
