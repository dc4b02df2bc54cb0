import {
  EloquaDynamicContentSchema,
  HubspokeError,
  eloquaDynamicContentPlaceholder,
  isHubspokeError,
  parse,
  type EloquaDynamicContent,
  type CallOptions,
  type CampaignMetrics,
  type CheckResult,
  type MetricsQuery,
  type PushEmailInput,
  type PushResult,
  type SendTestInput,
  type SendTestResult,
  type UploadAssetResult,
} from '@hubspoke/core';
import { z } from 'zod';
import { basicAuth } from '../../sdk/http/auth.js';
import { sleep } from '../../sdk/http/backoff.js';
import { defineConnector, type AssetUpload, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { ActivityTally, campaignFor, type ActivityKind } from '../../sdk/metrics.js';
import { paginate } from '../../sdk/http/paginate.js';
import { assetName, type RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

export const EloquaConfigSchema = z
  .object({
    company: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1),
    loginUrl: z.url({ protocol: /^https?$/ }).default('https://login.eloqua.com'),
    folderId: z.string().regex(/^\d+$/).optional(),
    emailGroupId: z.string().regex(/^\d+$/).optional(),
    senderName: z.string().max(100).optional(),
    senderEmail: z.email().optional(),
    replyToName: z.string().max(100).optional(),
    replyToEmail: z.email().optional(),
    /** How often to poll a bulk sync. */
    syncPollMs: z.number().int().positive().default(5000),
    /**
     * Contact field ids (Eloqua's numeric ids) by the Eloqua field reference the template engine's
     * field map gives, as `Reference=id` pairs joined by commas (config stays flat), e.g.
     * `"Tier1=100213,Country1=100005"`: the dynamic content rules a segment condition compiles to
     * compare these contact fields.
     */
    contactFieldIds: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}=\d+(?:,[A-Za-z][A-Za-z0-9_]{0,99}=\d+)*$/, {
        error: 'expected Reference=id pairs joined by commas, e.g. "Tier1=100213,Country1=100005"',
      })
      .optional(),
  })
  .strict();
export type EloquaConfig = z.output<typeof EloquaConfigSchema>;

/** Eloqua uses HTTP statuses: 401 (re-check the base URL), 429, 503 = try again later. */
export function classifyEloqua(input: ClassifyInput): Verdict {
  const failures = (input.body as { failures?: { value?: unknown }[] } | undefined)?.failures;
  const message =
    typeof input.body === 'string'
      ? input.body.slice(0, 200)
      : typeof failures?.[0]?.value === 'string'
        ? failures[0].value
        : undefined;
  if (input.status === 401) return { kind: 'fail', code: 'E_AUTH', reason: message ?? 'Not authenticated' };
  if (input.status === 413)
    return {
      kind: 'fail',
      code: 'E_VALIDATION',
      reason: `${message ?? 'payload too large'} (bulk staging limit, ELQ-00136)`,
    };
  return classifyStatus(input, message);
}

const IdSchema = z.object({ urls: z.object({ base: z.url() }).loose() }).loose();
const EmailSchema = z.object({ id: z.string() }).loose();
const DynamicContentsSchema = z.array(EloquaDynamicContentSchema).max(100);
/** A placeholder the template engine writes for a dynamic content (core's `eloquaDynamicContentPlaceholder`). */
const PLACEHOLDER = /<span elqid="(hubspoke_dc_[0-9a-f]{12})" elqtype="DynamicContent"><\/span>/g;

/**
 * A dynamic content's rules as Eloqua takes them: each criterion a contact field comparison with a
 * negative id (new criteria have no id yet), and the statement naming those ids. Oracle documents
 * the rule (`DynamicContentRuleRest10`) but not the criterion's comparison: `ContactFieldCriterion`,
 * `fieldId` and the `TextValueCondition` follow public client code, and `notEqual` and the empty
 * value for blank / not blank are unverified (see the contract fixture README).
 */
function wireRules(dc: EloquaDynamicContent, fieldIds: Readonly<Record<string, string>>, index: number) {
  return dc.rules.map((rule, r) => {
    const ids = rule.criteria.map((_c, k) => `-${String(r + 1)}${String(k + 1).padStart(2, '0')}`);
    return {
      type: 'DynamicContentRule',
      contentSection: {
        type: 'ContentSection',
        name: `${dc.name} rule ${String(r + 1)}`,
        contentHtml: rule.html,
        scope: 'local',
      },
      criteria: rule.criteria.map((c, k) => {
        const fieldId = fieldIds[c.field];
        if (fieldId === undefined)
          throw new HubspokeError(
            'E_VALIDATION',
            `email.dynamicContents[${String(index)}].rules[${String(r)}].criteria[${String(k)}].field: no contact field id for "${c.field}"; add "${c.field}=<the contact field's id in Eloqua>" to config.contactFieldIds`,
            {
              path: `email.dynamicContents[${String(index)}].rules[${String(r)}].criteria[${String(k)}].field`,
              details: { field: c.field },
            },
          );
        // Blank and not blank compare with the empty text.
        const operator = c.operator === 'equal' || c.operator === 'blank' ? 'equal' : 'notEqual';
        return {
          type: 'ContactFieldCriterion',
          id: ids[k] ?? '',
          fieldId,
          condition: {
            type: 'TextValueCondition',
            operator,
            value: c.operator === 'equal' || c.operator === 'notEqual' ? (c.value ?? '') : '',
          },
        };
      }),
      statement: rule.statement.replace(/\d+/g, (n) => ids[Number(n) - 1] ?? n),
    };
  });
}
const SearchSchema = z
  .object({ elements: z.array(z.object({ id: z.string(), name: z.string() }).loose()).default([]) })
  .loose();
const UriSchema = z.object({ uri: z.string() }).loose();
const ContactsSchema = z.object({ elements: z.array(z.object({ id: z.string() }).loose()).default([]) }).loose();
const ImageSchema = z.object({ id: z.string(), name: z.string(), fullImageUrl: z.string() }).loose();
const ImagesSchema = z.object({ elements: z.array(ImageSchema).default([]) }).loose();
const SyncSchema = z.object({ status: z.string() }).loose();
const DataSchema = z
  .object({ items: z.array(z.record(z.string(), z.unknown())).default([]), hasMore: z.boolean().default(false) })
  .loose();

const ACTIVITIES: Record<string, ActivityKind> = {
  EmailSend: 'sent',
  EmailOpen: 'open',
  EmailClickthrough: 'click',
  Bounceback: 'hardBounce',
  Unsubscribe: 'unsubscribe',
};
const eloquaDate = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');

class Eloqua {
  private readonly http: HttpClient;
  private base: Promise<string> | undefined;

  constructor(private readonly ctx: ConnectorContext<EloquaConfig>) {
    const { company, username, password } = ctx.config;
    this.http = ctx.http({ classify: classifyEloqua, auth: basicAuth(`${company}\\${username}`, password) });
  }

  /** The pod's base URL from `GET login.eloqua.com/id`, cached (the call is throttled). */
  private discover(signal?: AbortSignal): Promise<string> {
    this.base ??= this.http
      .send(
        {
          method: 'GET',
          url: new URL('/id', this.ctx.config.loginUrl).toString(),
          operation: 'discoverBaseUrl',
          dryRunBody: { urls: { base: 'https://secure.dry-run.invalid' } },
        },
        signal,
      )
      .then((res) => expectBody(IdSchema, res.body, 'Eloqua /id').urls.base.replace(/\/+$/, ''))
      .catch((error: unknown) => {
        this.base = undefined;
        throw error;
      });
    return this.base;
  }

  /** Runs a call against the base URL; after a 401 the site may have moved pods, so discover again once. */
  private async onBase<T>(call: (base: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const base = await this.discover(signal);
    try {
      return await call(base);
    } catch (error) {
      if (!isHubspokeError(error, 'E_AUTH')) throw error;
      this.base = undefined;
      const fresh = await this.discover(signal);
      if (fresh === base) throw error;
      this.http.log('info', 'eloqua.moved', 'Eloqua site moved to another pod; using the new base URL');
      return call(fresh);
    }
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    const base = await this.discover(signal);
    return { ok: true, message: `Connected to Eloqua (${new URL(base).host})`, details: { base } };
  }

  /**
   * Creates (or brings up to date) each dynamic content the email uses and returns the HTML with
   * each placeholder replaced by a reference to its asset. Every rule's contact fields must have
   * an id in the config and every placeholder a definition, checked before anything is sent.
   */
  private async withDynamicContents(input: PushEmailInput, signal?: AbortSignal): Promise<string> {
    const dcs = parse(DynamicContentsSchema, input.email.dynamicContents ?? [], 'email.dynamicContents');
    const html = input.email.html;
    const byName = new Map(dcs.map((dc) => [dc.name, dc]));
    for (const [, name] of html.matchAll(PLACEHOLDER))
      if (name !== undefined && !byName.has(name))
        throw new HubspokeError(
          'E_VALIDATION',
          `email.html: the placeholder for dynamic content ${name} has no definition in email.dynamicContents; render the email again`,
          { path: 'email.html', details: { name } },
        );
    if (dcs.length === 0) return html;
    const fieldIds = Object.fromEntries(
      (this.ctx.config.contactFieldIds ?? '')
        .split(',')
        .filter((pair) => pair !== '')
        .map((pair) => pair.split('=') as [string, string]),
    );
    const bodies = dcs.map((dc, i) => {
      if (!html.includes(eloquaDynamicContentPlaceholder(dc.name)))
        throw new HubspokeError(
          'E_VALIDATION',
          `email.dynamicContents[${String(i)}]: the HTML holds no placeholder for ${dc.name}; render the email again`,
          { path: `email.dynamicContents[${String(i)}]`, details: { name: dc.name } },
        );
      return {
        type: 'DynamicContent',
        name: dc.name,
        description: 'A Hubspoke segment condition (generated: edit the draft, not this asset)',
        defaultContentSection: {
          type: 'ContentSection',
          name: `${dc.name} default`,
          contentHtml: dc.defaultHtml,
          scope: 'local',
        },
        rules: wireRules(dc, fieldIds, i),
      };
    });
    let out = html;
    for (const body of bodies) {
      // The name hashes the content: one asset per distinct condition, shared by every email that uses it.
      const pushed = await this.ctx.publish(
        {
          key: { kind: 'asset', sourceId: body.name, version: 1, locale: '' },
          signal,
          name: body.name,
          create: () =>
            this.onBase(async (base) => {
              const res = await this.http.send(
                {
                  method: 'POST',
                  url: `${base}/api/REST/2.0/assets/dynamicContent`,
                  operation: 'createDynamicContent',
                  json: body,
                  dryRunBody: { id: '0' },
                },
                signal,
              );
              return { id: expectBody(EmailSchema, res.body, 'Eloqua createDynamicContent').id };
            }, signal),
          update: (id) =>
            this.onBase(async (base) => {
              await this.http.send(
                {
                  method: 'PUT',
                  url: `${base}/api/REST/2.0/assets/dynamicContent/${id}`,
                  operation: 'updateDynamicContent',
                  json: { id, ...body },
                },
                signal,
              );
              return undefined;
            }, signal),
          find: (n) => this.findByName(n, signal, 'dynamicContents'),
        },
        this.http,
      );
      if (!/^\d+$/.test(pushed.remoteId))
        throw new HubspokeError(
          'E_UPSTREAM',
          `Eloqua answered a dynamic content id that is not a number: ${JSON.stringify(pushed.remoteId.slice(0, 40))}`,
          {
            details: { name: body.name },
          },
        );
      out = out.replaceAll(
        eloquaDynamicContentPlaceholder(body.name),
        `<span elqid="${pushed.remoteId}" elqtype="DynamicContent"></span>`,
      );
    }
    return out;
  }

  async pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const { folderId, emailGroupId, senderName, senderEmail, replyToEmail, replyToName } = this.ctx.config;
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const name = assetName(input.name, key, 100);
    const html = await this.withDynamicContents(input, signal);
    const fields = {
      name,
      subject: input.email.subject,
      htmlContent: { type: 'RawHtmlContent', html },
      plainText: input.email.text,
      previewText: input.email.preheader,
      isTracked: true,
      ...(folderId === undefined ? {} : { folderId }),
      ...(emailGroupId === undefined ? {} : { emailGroupId }),
      ...(senderName === undefined ? {} : { senderName }),
      ...(senderEmail === undefined ? {} : { senderEmail }),
      ...(replyToEmail === undefined ? {} : { replyToEmail }),
      ...(replyToName === undefined ? {} : { replyToName }),
    };
    return this.ctx.publish(
      {
        key: { kind: 'email', ...key },
        signal,
        name,
        contentHash: input.email.contentHash,
        create: () =>
          this.onBase(async (base) => {
            const res = await this.http.send(
              {
                method: 'POST',
                url: `${base}/api/REST/2.0/assets/email`,
                operation: 'createEmail',
                json: fields,
                dryRunBody: { id: 'dry-run' },
              },
              signal,
            );
            return { id: expectBody(EmailSchema, res.body, 'Eloqua createEmail').id };
          }, signal),
        update: (id) =>
          this.onBase(async (base) => {
            await this.http.send(
              {
                method: 'PUT',
                url: `${base}/api/REST/2.0/assets/email/${id}`,
                operation: 'updateEmail',
                json: { id, ...fields },
              },
              signal,
            );
            return undefined;
          }, signal),
        find: (n) => this.findByName(n, signal),
      },
      this.http,
    );
  }

  private findByName(
    name: string,
    signal?: AbortSignal,
    list: 'emails' | 'dynamicContents' = 'emails',
  ): Promise<RemoteAsset | undefined> {
    return this.onBase(async (base) => {
      // Search values are quoted with `'`; a name containing one is searched by its prefix and matched exactly here.
      const quote = name.indexOf("'");
      const term = quote < 0 ? name : `${name.slice(0, quote)}*`;
      const operation = list === 'emails' ? 'searchEmails' : 'searchDynamicContents';
      const res = await this.http.send(
        {
          method: 'GET',
          url: list === 'emails' ? `${base}/api/REST/2.0/assets/emails` : `${base}/api/REST/2.0/assets/dynamicContents`,
          query: { search: `name='${term}'`, depth: 'minimal', count: 100 },
          operation,
          dryRunBody: { elements: [] },
        },
        signal,
      );
      const found = expectBody(SearchSchema, res.body, `Eloqua ${operation}`).elements.find((e) => e.name === name);
      return found === undefined ? undefined : { id: found.id };
    }, signal);
  }

  /** The contact id of a seed address (test deployments go to contacts); `E_NOT_FOUND` when Eloqua has none. */
  private contactId(address: string, index: number, signal?: AbortSignal): Promise<string> {
    return this.onBase(async (base) => {
      const res = await this.http.send(
        {
          method: 'GET',
          url: `${base}/api/REST/1.0/data/contacts`,
          query: { search: `emailAddress='${address}'`, depth: 'minimal', count: 2 },
          operation: 'findContact',
          dryRunBody: { elements: [{ id: '0' }] },
        },
        signal,
      );
      const id = expectBody(ContactsSchema, res.body, 'Eloqua contacts').elements[0]?.id;
      if (id === undefined)
        throw new HubspokeError(
          'E_NOT_FOUND',
          `test.recipients[${index}]: Eloqua has no contact ${address}; add the seed addresses as contacts first`,
          { path: `test.recipients[${index}]` },
        );
      return id;
    }, signal);
  }

  /** One `EmailTestDeployment` of the pushed email per seed contact (Eloqua's quick send to a single contact). */
  async sendTest(input: SendTestInput, { signal }: CallOptions): Promise<SendTestResult> {
    const { remoteId } = await this.ctx.pushedEmail(input);
    const contacts = [];
    for (const [index, address] of input.recipients.entries())
      contacts.push(await this.contactId(address, index, signal));
    const messageIds: string[] = [];
    for (const contactId of contacts) {
      const res = await this.onBase(
        (base) =>
          this.http.send(
            {
              method: 'POST',
              url: `${base}/api/REST/2.0/assets/email/deployment`,
              operation: 'testDeployment',
              json: {
                type: 'EmailTestDeployment',
                name: `Hubspoke test ${input.draftId} v${input.draftVersion} ${input.locale}`.slice(0, 100),
                contactId,
                email: { type: 'Email', id: remoteId, name: 'Hubspoke test' },
              },
              dryRunBody: { id: 'dry-run' },
            },
            signal,
          ),
        signal,
      );
      messageIds.push(expectBody(EmailSchema, res.body, 'Eloqua test deployment').id);
    }
    return { remoteId, sent: [...input.recipients], messageIds };
  }

  /** Uploads an image (REST 1.0 `assets/image/content`), once per SHA-256; its URL is on the pod. */
  async uploadAsset(input: AssetUpload, { signal }: CallOptions): Promise<UploadAssetResult> {
    const name = `hubspoke-${input.sha256.slice(0, 16)}-${input.name}`.slice(0, 100);
    const base = await this.discover(signal);
    const asAsset = (image: z.output<typeof ImageSchema>) => ({
      id: image.id,
      url: new URL(image.fullImageUrl, base).toString(),
    });
    const result = await this.ctx.publish(
      {
        key: { kind: 'asset', sourceId: input.sha256, version: 1, locale: '' },
        signal,
        name,
        create: async () => {
          const res = await this.http.send(
            {
              method: 'POST',
              url: `${base}/api/REST/1.0/assets/image/content`,
              operation: 'uploadImage',
              multipart: [{ name: 'file', value: input.bytes, filename: name, contentType: input.contentType }],
              dryRunBody: { id: 'dry-run', name, fullImageUrl: '/dry-run' },
            },
            signal,
          );
          return asAsset(expectBody(ImageSchema, res.body, 'Eloqua uploadImage'));
        },
        update: () => Promise.resolve(undefined),
        find: async (n) => {
          const res = await this.http.send(
            {
              method: 'GET',
              url: `${base}/api/REST/1.0/assets/images`,
              // The SHA-256 prefix makes the name unique; searching by it avoids quoting the file name.
              query: { search: `name='hubspoke-${input.sha256.slice(0, 16)}*'`, depth: 'complete', count: 10 },
              operation: 'searchImages',
              dryRunBody: { elements: [] },
            },
            signal,
          );
          const found = expectBody(ImagesSchema, res.body, 'Eloqua images').elements.find((i) => i.name === n);
          return found === undefined ? undefined : asAsset(found);
        },
      },
      this.http,
    );
    return { remoteId: result.remoteId, url: result.url ?? '', sha256: input.sha256, created: result.created };
  }

  /** Bulk API 2.0: one activity export per type (send, open, click, bounceback, unsubscribe), synced and paged. */
  async *pullMetrics(query: MetricsQuery, { signal }: CallOptions): AsyncIterable<CampaignMetrics> {
    const wanted = query.campaignIds === undefined ? undefined : new Set(query.campaignIds);
    const tally = new ActivityTally();
    const base = await this.discover(signal);
    const bulk = `${base}/api/bulk/2.0`;
    for (const [type, kind] of Object.entries(ACTIVITIES)) {
      const definition = {
        name: `Hubspoke ${type} ${query.since}`.slice(0, 100),
        fields: {
          ActivityId: '{{Activity.Id}}',
          AssetId: '{{Activity.Asset.Id}}',
          ContactId: '{{Activity.Contact.Id}}',
          CreatedAt: '{{Activity.CreatedAt}}',
        },
        filter: `'{{Activity.Type}}'='${type}' AND '{{Activity.CreatedAt}}'>='${eloquaDate(query.since)}' AND '{{Activity.CreatedAt}}'<'${eloquaDate(query.until)}'`,
      };
      const created = await this.http.send(
        {
          method: 'POST',
          url: `${bulk}/activities/exports`,
          operation: 'createExport',
          idempotent: true,
          json: definition,
          dryRunBody: { uri: '/activities/exports/0' },
        },
        signal,
      );
      const exportUri = expectBody(UriSchema, created.body, 'Eloqua createExport').uri;
      const sync = await this.http.send(
        {
          method: 'POST',
          url: `${bulk}/syncs`,
          operation: 'createSync',
          idempotent: true,
          json: { syncedInstanceUri: exportUri },
          dryRunBody: { uri: '/syncs/0' },
        },
        signal,
      );
      const syncUri = expectBody(UriSchema, sync.body, 'Eloqua createSync').uri;
      if (created.dryRun) continue;
      await this.waitForSync(`${bulk}${syncUri}`, signal);
      const rows = paginate<Record<string, unknown>, number>(0, async (offset) => {
        const res = await this.http.send(
          { method: 'GET', url: `${bulk}${syncUri}/data`, query: { limit: 1000, offset }, operation: 'syncData' },
          signal,
        );
        const page = expectBody(DataSchema, res.body, 'Eloqua sync data');
        return { items: page.items, next: page.hasMore ? offset + page.items.length : undefined };
      });
      for await (const row of rows) {
        const assetId = typeof row.AssetId === 'string' || typeof row.AssetId === 'number' ? String(row.AssetId) : '';
        if (assetId === '' || (wanted !== undefined && !wanted.has(assetId))) continue;
        tally.add(
          assetId,
          kind,
          typeof row.ContactId === 'string' || typeof row.ContactId === 'number' ? String(row.ContactId) : '',
        );
      }
    }
    for (const [assetId, counts] of tally.entries())
      yield {
        ...(await campaignFor(this.ctx.store, this.ctx.instance, 'eloqua', assetId)),
        ...counts,
      } as CampaignMetrics;
  }

  private async waitForSync(url: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const res = await this.http.send({ method: 'GET', url, operation: 'syncStatus' }, signal);
      const { status } = expectBody(SyncSchema, res.body, 'Eloqua sync status');
      if (status === 'success' || status === 'warning') return;
      if (status === 'error') throw new HubspokeError('E_UPSTREAM', `Eloqua bulk sync ${url} failed`);
      try {
        await sleep(this.ctx.config.syncPollMs, signal);
      } catch {
        throw new HubspokeError('E_ABORTED', 'Eloqua pullMetrics was cancelled');
      }
    }
  }
}

/** Oracle Eloqua: base-URL discovery, email assets with raw HTML, bulk activity exports for metrics. */
export const eloqua = defineConnector({
  manifest: {
    id: 'eloqua',
    name: 'Eloqua',
    version: '0.1.0',
    kind: 'map',
    description:
      'Creates or updates Eloqua email assets (RawHtmlContent) on the discovered pod; pulls email activity counts through Bulk API 2.0.',
    secrets: ['username', 'password'],
    capabilities: ['check', 'pushEmail', 'pullMetrics', 'sendTest', 'uploadAsset'],
    tokenDialect: 'eloqua',
    // No published numeric limit; 429 and 503 are handled as they come.
    limits: { callsPerWindow: 600, windowMs: 60_000, concurrency: 4 },
    docsUrl: 'https://docs.oracle.com/en/cloud/saas/marketing/eloqua-rest-api/',
  },
  config: EloquaConfigSchema,
  create: (ctx) => new Eloqua(ctx),
});
