import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import adaptiveCard from './fixtures/adaptive-card-1.4.json' with { type: 'json' };
import asanaSpec from './fixtures/asana.json' with { type: 'json' };
import brazeSpec from './fixtures/braze.json' with { type: 'json' };
import brazeMediaLibrary from './fixtures/braze-media-library.transcribed.json' with { type: 'json' };
import eloquaSpec from './fixtures/eloqua.transcribed.json' with { type: 'json' };
import hubspotSpec from './fixtures/hubspot.transcribed.json' with { type: 'json' };
import marketoAsset from './fixtures/marketo-asset.json' with { type: 'json' };
import marketoIdentity from './fixtures/marketo-identity.json' with { type: 'json' };
import marketoMapi from './fixtures/marketo-mapi.json' with { type: 'json' };
import mondaySdl from './fixtures/monday-sdl.js';
import sfmcRest from './fixtures/sfmc-rest.json' with { type: 'json' };
import sfmcSpec from './fixtures/sfmc.transcribed.json' with { type: 'json' };
import slackSpec from './fixtures/slack.json' with { type: 'json' };
import webhooksSpec from './fixtures/webhooks.transcribed.json' with { type: 'json' };
import { graphqlContract } from './graphql.js';
import { openApiContract, type ContractRequest, type VendorContract } from './openapi.js';

type Json = Record<string, unknown>;

const header = (request: ContractRequest, name: string): string => {
  const value = request.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/** A header check: the request must carry `name` matching `pattern`, as `source` documents. */
const requireHeader =
  (name: string, pattern: RegExp, source: string) =>
  (request: ContractRequest): string | undefined =>
    pattern.test(header(request, name))
      ? undefined
      : `header ${name} must match ${String(pattern)} (${source}), got ${header(request, name) === '' ? 'none' : 'another value'}`;

const bearer = (source: string) => requireHeader('authorization', /^Bearer \S+$/, source);

/** Adobe Marketo Engage: the asset, lead-database (activities, bulk export) and identity Swagger files. */
export function marketoContract(): VendorContract {
  const auth = bearer('https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication');
  return openApiContract({
    vendor: 'marketo',
    documents: [marketoAsset, marketoMapi, marketoIdentity],
    headers: (request) => (request.path.startsWith('/identity/') ? undefined : auth(request)),
    overlays: [
      {
        operation: 'POST /rest/asset/v1/emails.json',
        source:
          'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/emails#create-and-update (only name, template and folder are required)',
        optionalFields: ['fromEmail', 'fromName', 'replyEmail', 'subject'],
      },
    ],
  });
}

/**
 * `/messages/send`'s body, transcribed from Braze's endpoint page (targets: at most 50
 * `external_user_ids`, `user_aliases`, `segment_id`, `audience`, or `broadcast`) and the email
 * object page (`app_id` and `from` required; `body` required unless `email_template_id`).
 */
const brazeSendMessagesBody = {
  type: 'object',
  required: ['messages'],
  anyOf: [
    { required: ['external_user_ids'] },
    { required: ['user_aliases'] },
    { required: ['segment_id'] },
    { required: ['audience'] },
    { required: ['broadcast'] },
  ],
  properties: {
    broadcast: { type: 'boolean' },
    external_user_ids: { type: 'array', maxItems: 50, items: { type: 'string' } },
    user_aliases: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['alias_name', 'alias_label'],
        properties: { alias_name: { type: 'string' }, alias_label: { type: 'string' } },
      },
    },
    segment_id: { type: 'string' },
    audience: { type: 'object', additionalProperties: true },
    campaign_id: { type: 'string' },
    send_id: { type: 'string' },
    override_frequency_capping: { type: 'boolean' },
    recipient_subscription_state: { type: 'string', enum: ['opted_in', 'subscribed_or_opted_in', 'all'] },
    messages: {
      type: 'object',
      properties: {
        email: {
          type: 'object',
          required: ['app_id', 'from'],
          anyOf: [{ required: ['body'] }, { required: ['email_template_id'] }],
          properties: {
            app_id: { type: 'string' },
            subject: { type: 'string' },
            from: { type: 'string', pattern: '^[^<>]+ <[^<>\\s@]+@[^<>\\s@]+>$' },
            reply_to: { type: 'string' },
            bcc: { type: 'string' },
            body: { type: 'string' },
            plaintext_body: { type: 'string' },
            preheader: { type: 'string' },
            email_template_id: { type: 'string' },
            message_variation_id: { type: 'string' },
            extras: { type: 'object', additionalProperties: true },
            headers: { type: 'object', additionalProperties: true },
            should_inline_css: { type: 'boolean' },
            attachments: {
              type: 'array',
              items: {
                type: 'object',
                required: ['file_name', 'url'],
                properties: { file_name: { type: 'string' }, url: { type: 'string' } },
              },
            },
          },
        },
        // Other channels' message objects are not used by Hubspoke; left open.
        apple_push: { type: 'object', additionalProperties: true },
        android_push: { type: 'object', additionalProperties: true },
        content_card: { type: 'object', additionalProperties: true },
        sms: { type: 'object', additionalProperties: true },
        web_push: { type: 'object', additionalProperties: true },
        webhook: { type: 'object', additionalProperties: true },
        whats_app: { type: 'object', additionalProperties: true },
      },
    },
  },
};

/** Braze: the community OpenAPI file (converted from Braze's own Postman collection), corrected from Braze's endpoint pages, plus the media library upload (transcribed). */
export function brazeContract(): VendorContract {
  const docs = 'https://www.braze.com/docs/api/endpoints/templates/email_templates/';
  // The conversion listed each body field of the template endpoints as a query parameter too.
  const bodyAsQuery = [
    'email_template_id',
    'template_name',
    'subject',
    'body',
    'plaintext_body',
    'preheader',
    'tags',
    'should_inline_css',
  ];
  return openApiContract({
    vendor: 'braze',
    documents: [brazeSpec, brazeMediaLibrary],
    headers: bearer('https://www.braze.com/docs/api/basics/#rest-api-key'),
    overlays: [
      {
        operation: 'POST /templates/email/create',
        source: `${docs}post_create_email_template/ (request parameters: template_name, subject and body required)`,
        dropParameters: bodyAsQuery,
        bodySchema: { required: ['template_name', 'subject', 'body'] },
      },
      {
        operation: 'POST /templates/email/update',
        source: `${docs}post_update_email_template/ (email_template_id required)`,
        dropParameters: bodyAsQuery,
        bodySchema: { required: ['email_template_id'] },
      },
      {
        // The Postman conversion typed user_aliases as one object and the message objects as empty ones.
        operation: 'POST /messages/send',
        source:
          'https://www.braze.com/docs/api/endpoints/messaging/send_messages/post_send_messages/ (request body); https://www.braze.com/docs/api/objects_filters/user_alias_object/; https://www.braze.com/docs/api/objects_filters/messaging/email_object/',
        replace: {
          operationId: 'sendMessages',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: brazeSendMessagesBody } },
          },
        },
      },
      {
        operation: 'GET /campaigns/data_series',
        source:
          'https://www.braze.com/docs/api/endpoints/export/campaigns/get_campaign_analytics/ (campaign_id, length required)',
        requireParameters: ['campaign_id', 'length'],
      },
      {
        operation: 'GET /campaigns/details',
        source:
          'https://www.braze.com/docs/api/endpoints/export/campaigns/get_campaign_details/ (campaign_id required)',
        requireParameters: ['campaign_id'],
      },
    ],
  });
}

/** Asana: the official OpenAPI file. */
export function asanaContract(): VendorContract {
  return openApiContract({
    vendor: 'asana',
    documents: [asanaSpec],
    headers: bearer('https://developers.asana.com/docs/personal-access-token'),
  });
}

/** HubSpot: request fields transcribed from the (unlicensed) public spec collection, dated API version 2026-09. */
export function hubspotContract(): VendorContract {
  return openApiContract({ vendor: 'hubspot', documents: [hubspotSpec] });
}

/** Oracle Eloqua: request fields transcribed from Oracle's REST and Bulk API reference. */
export function eloquaContract(): VendorContract {
  return openApiContract({ vendor: 'eloqua', documents: [eloquaSpec] });
}

/** Salesforce Marketing Cloud: the 2019 SDK OpenAPI file (assets) plus transcribed token, query and SOAP Retrieve. */
export function sfmcContract(): VendorContract {
  const auth = bearer('https://developer.salesforce.com/docs/marketing/marketing-cloud/guide/access-token-app.html');
  return openApiContract({
    vendor: 'sfmc',
    documents: [sfmcRest, sfmcSpec],
    headers: (request) =>
      (request.path.startsWith('/asset/') && !request.path.endsWith('/query')) || request.path.startsWith('/messaging/')
        ? auth(request)
        : undefined,
  });
}

/** monday.com: GraphQL documents validated against the schema (SDL subset) with graphql-js. */
export function mondayContract(): VendorContract {
  const version = requireHeader(
    'api-version',
    /^\d{4}-(01|04|07|10)$/,
    'https://developer.monday.com/api-reference/docs/api-versioning',
  );
  const token = requireHeader(
    'authorization',
    /^\S+$/,
    'https://developer.monday.com/api-reference/docs/authentication',
  );
  return graphqlContract({
    vendor: 'monday',
    sdl: mondaySdl,
    path: '/v2',
    headers: (request) => token(request) ?? version(request),
  });
}

/** Slack: the Web API OpenAPI file (frozen in 2020) corrected from the method pages, plus incoming webhooks (transcribed). */
export function slackContract(): VendorContract {
  const method = 'https://api.slack.com/methods/chat.postMessage';
  const web = openApiContract({
    vendor: 'slack',
    documents: [slackSpec],
    basePath: '/api',
    headers: (request) =>
      request.path.startsWith('/api/') ? bearer('https://api.slack.com/web#authentication')(request) : undefined,
    overlays: [
      {
        // Every Web API method accepts POST; the token travels as a Bearer header.
        operation: 'POST /auth.test',
        source:
          'https://api.slack.com/web#methods (methods accept GET or POST); https://api.slack.com/methods/auth.test',
        replace: {
          operationId: 'auth_test',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          parameters: [],
        },
      },
      {
        operation: 'POST /chat.postMessage',
        source: `${method} (JSON bodies carry blocks and attachments as arrays; the token is a Bearer header)`,
        replace: {
          operationId: 'chat_postMessage',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          parameters: [
            ...(
              (((slackSpec as Json).paths as Record<string, Json>)['/chat.postMessage']?.post as Json)
                .parameters as Json[]
            ).filter((p) => p.name !== 'token' && p.name !== 'blocks' && p.name !== 'attachments'),
            { in: 'formData', name: 'blocks', type: 'array', items: { type: 'object' } },
            { in: 'formData', name: 'attachments', type: 'array', items: { type: 'object' } },
          ],
        },
      },
    ],
  });
  const hooks = openApiContract({ vendor: 'slack', documents: [webhooksSpec] });
  return {
    vendor: 'slack',
    operations: [...web.operations, 'slackIncomingWebhook'],
    check: (request) => (request.path.startsWith('/services/') ? hooks : web).check(request),
  };
}

/** Microsoft Teams Workflows webhook: the envelope (transcribed) around an Adaptive Card checked against Microsoft's 1.4 schema. */
export function teamsContract(): VendorContract {
  const envelope = openApiContract({ vendor: 'teams', documents: [webhooksSpec] });
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const { $schema: _draft, id: _id, ...schema } = adaptiveCard as Json;
  const card = ajv.compile(schema);
  return {
    vendor: 'teams',
    operations: ['teamsWorkflowWebhook'],
    check(request) {
      const result = envelope.check(request);
      const attachments = (request.json as { attachments?: { content?: unknown }[] } | undefined)?.attachments ?? [];
      for (const [index, attachment] of attachments.entries()) {
        if (card(attachment.content)) continue;
        for (const e of card.errors ?? [])
          result.violations.push({
            operation: 'teamsWorkflowWebhook',
            in: 'body',
            message: `body.attachments.${index}.content${e.instancePath.replace(/\//g, '.')}: ${e.message ?? 'invalid'} (Adaptive Card 1.4 schema)`,
          });
      }
      return result;
    },
  };
}

/** Every built-in vendor contract by connector id. */
export const vendorContracts = {
  marketo: marketoContract,
  eloqua: eloquaContract,
  sfmc: sfmcContract,
  hubspot: hubspotContract,
  braze: brazeContract,
  asana: asanaContract,
  monday: mondayContract,
  slack: slackContract,
  teams: teamsContract,
} as const;

export type ContractVendor = keyof typeof vendorContracts;
const built = new Map<ContractVendor, VendorContract>();

/** The vendor's contract, built once per process (compiling the schemas takes a moment). */
export function contractFor(vendor: ContractVendor): VendorContract {
  let contract = built.get(vendor);
  if (contract === undefined) {
    contract = vendorContracts[vendor]();
    built.set(vendor, contract);
  }
  return contract;
}
