import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import eloquaSpec from './fixtures/eloqua.transcribed.json' with { type: 'json' };
import hubspotSpec from './fixtures/hubspot.transcribed.json' with { type: 'json' };
import sfmcSpec from './fixtures/sfmc.transcribed.json' with { type: 'json' };
import webhooksSpec from './fixtures/webhooks.transcribed.json' with { type: 'json' };
import type { ContractRequest } from './openapi.js';
import { contractFor, vendorContracts } from './vendors.js';

const request = (overrides: Partial<ContractRequest> & Pick<ContractRequest, 'method' | 'path'>): ContractRequest => ({
  query: new URLSearchParams(),
  headers: {},
  body: '',
  ...overrides,
});
const json = (value: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(value),
  json: value,
  headers: { 'content-type': 'application/json', ...headers },
});
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const params = new URLSearchParams(fields);
  return {
    body: params.toString(),
    form: params,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  };
};
const messages = (result: { violations: { message: string }[] }) => result.violations.map((v) => v.message).join('\n');
const bearer = { authorization: 'Bearer t' };

describe('vendor contracts', () => {
  it('build for every built-in connector and name their operations', () => {
    for (const [vendor, make] of Object.entries(vendorContracts)) {
      const contract = make();
      expect(contract.vendor).toBe(vendor);
      expect(contract.operations.length).toBeGreaterThan(0);
    }
  });

  it('refuse unknown operations and methods the vendor does not offer', () => {
    const marketo = contractFor('marketo');
    expect(
      messages(marketo.check(request({ method: 'GET', path: '/rest/asset/v1/nothing.json', headers: bearer }))),
    ).toMatch(/no such operation/);
    expect(
      messages(marketo.check(request({ method: 'DELETE', path: '/rest/asset/v1/email/byName.json', headers: bearer }))),
    ).toMatch(/allows only GET/);
  });

  it('check Swagger 2 form bodies: JSON-encoded objects, coerced scalars, required and unknown fields', () => {
    const marketo = contractFor('marketo');
    const create = (fields: Record<string, string>) =>
      marketo.check(request({ method: 'POST', path: '/rest/asset/v1/emails.json', ...form(fields, bearer) }));
    expect(create({ name: 'n', template: '12', folder: '{"id":3,"type":"Program"}' }).violations).toEqual([]);
    expect(messages(create({ name: 'n', template: 'twelve', folder: '{"id":3,"type":"Program"}' }))).toMatch(
      /template: must be integer/,
    );
    expect(messages(create({ name: 'n', template: '12', folder: '{"id":3,"type":"Shelf"}' }))).toMatch(/folder\.type/);
    expect(messages(create({ name: 'n', template: '12', folder: '3' }))).toMatch(/folder: must be object/);
    expect(messages(create({ name: 'n', folder: '{"id":3,"type":"Program"}' }))).toMatch(
      /required property 'template'/,
    );
    expect(messages(create({ name: 'n', template: '1', folder: '{"id":3,"type":"Folder"}', replyTo: 'x' }))).toMatch(
      /replyTo is not in the contract/,
    );
  });

  it('check an Eloqua dynamic content against DynamicContentRest10 and the ContactFieldCriterion shape public clients send', () => {
    const eloqua = contractFor('eloqua');
    const basic = { authorization: `Basic ${Buffer.from('A\\b:c').toString('base64')}` };
    const criterion = {
      type: 'ContactFieldCriterion',
      id: '-101',
      fieldId: '100005',
      condition: { type: 'TextValueCondition', operator: 'equal', value: 'DE' },
    };
    const body = (rule: Record<string, unknown> = {}) => ({
      type: 'DynamicContent',
      name: 'hubspoke_dc_00000000000a',
      defaultContentSection: { type: 'ContentSection', contentHtml: 'Hi', scope: 'local' },
      rules: [
        {
          type: 'DynamicContentRule',
          contentSection: { type: 'ContentSection', contentHtml: 'Hallo' },
          criteria: [criterion],
          statement: '-101',
          ...rule,
        },
      ],
    });
    const create = (value: unknown) =>
      eloqua.check(request({ method: 'POST', path: '/api/REST/2.0/assets/dynamicContent', ...json(value, basic) }));
    expect(create(body()).violations).toEqual([]);
    // The criterion type public Eloqua clients send; the name this contract once guessed is refused.
    expect(messages(create(body({ criteria: [{ ...criterion, type: 'ContactFieldComparisonCriterion' }] })))).toMatch(
      /type/,
    );
    expect(messages(create(body({ criteria: [{ ...criterion, condition: { type: 'TextValueCondition' } }] })))).toMatch(
      /operator/,
    );
    // Oracle documents no REST 1.0 dynamic content operation; the contract keeps only the 2.0 paths public clients use.
    expect(
      messages(
        eloqua.check(request({ method: 'POST', path: '/api/REST/1.0/assets/dynamicContent', ...json(body(), basic) })),
      ),
    ).toMatch(/no such operation/);
    expect(messages(create(body({ criteria: [{ ...criterion, fieldId: 'Country1' }] })))).toMatch(/fieldId/);
    expect(messages(create(body({ criteria: [{ ...criterion, fieldName: 'x' }] })))).toMatch(
      /fieldName is not in the contract/,
    );
    expect(messages(create(body({ statement: '-101; DROP' })))).toMatch(/statement/);
    expect(messages(create(body({ criteria: [] })))).toMatch(/criteria/);
    expect(
      messages(
        eloqua.check(
          request({
            method: 'PUT',
            path: '/api/REST/2.0/assets/dynamicContent/x',
            ...json({ id: 'x', ...body() }, basic),
          }),
        ),
      ),
    ).toMatch(/id/);
  });

  it('check authentication headers, query parameters and content types', () => {
    const marketo = contractFor('marketo');
    expect(messages(marketo.check(request({ method: 'GET', path: '/rest/v1/activities/types.json' })))).toMatch(
      /header authorization/,
    );
    expect(
      messages(
        marketo.check(
          request({
            method: 'GET',
            path: '/rest/asset/v1/email/byName.json',
            headers: bearer,
            query: new URLSearchParams({ name: 'x', access_token: 'old-style' }),
          }),
        ),
      ),
    ).toMatch(/"access_token" is not in the contract/);
    const braze = contractFor('braze');
    expect(
      messages(
        braze.check(
          request({
            method: 'POST',
            path: '/templates/email/create',
            ...form({ template_name: 'a', subject: 's', body: 'b' }, bearer),
          }),
        ),
      ),
    ).toMatch(/content type application\/x-www-form-urlencoded/);
  });

  it('apply documented corrections: Braze required fields, Marketo optional header fields', () => {
    const braze = contractFor('braze');
    const create = (body: Record<string, unknown>) =>
      braze.check(request({ method: 'POST', path: '/templates/email/create', ...json(body, bearer) }));
    expect(create({ template_name: 'a', subject: 's', body: 'b', should_inline_css: false }).violations).toEqual([]);
    expect(messages(create({ template_name: 'a', body: 'b' }))).toMatch(/required property 'subject'/);
    const series = braze.check(request({ method: 'GET', path: '/campaigns/data_series', headers: bearer }));
    expect(messages(series)).toMatch(/"campaign_id" is required/);
  });

  it('split comma-separated array parameters (Asana opt_fields) and check their values', () => {
    const asana = contractFor('asana');
    const list = (optFields: string) =>
      asana.check(
        request({
          method: 'GET',
          path: '/projects/1/tasks',
          headers: bearer,
          query: new URLSearchParams({ opt_fields: optFields, limit: '100' }),
        }),
      );
    expect(list('notes,permalink_url').violations).toEqual([]);
    expect(messages(list('notes,not_a_field'))).toMatch(/opt_fields/);
  });

  it('validate GraphQL documents and variables against the schema with graphql-js', () => {
    const monday = contractFor('monday');
    const send = (
      query: string,
      variables: Record<string, unknown> = {},
      headers = { authorization: 't', 'api-version': '2025-04' },
    ) => monday.check(request({ method: 'POST', path: '/v2', ...json({ query, variables }, headers) }));
    expect(send('query { me { id name } }').violations).toEqual([]);
    expect(messages(send('query { me { id shoe_size } }'))).toMatch(/Cannot query field "shoe_size"/);
    expect(messages(send('mutation ($b: ID!) { create_item (board_id: $b, item_name: "x") { id } }', {}))).toMatch(
      /Variable "\$b" of required type "ID!" was not provided/,
    );
    expect(messages(send('query { me { id } }', { extra: 1 }))).toMatch(/sent but not declared/);
    expect(messages(send('query { me { id } }', {}, { authorization: 't', 'api-version': 'latest' }))).toMatch(
      /api-version/,
    );
  });

  it('check SOAP envelopes (SFMC Retrieve) field by field', () => {
    const sfmc = contractFor('sfmc');
    const envelope = (retrieve: string) =>
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><fueloauth>t</fueloauth></s:Header><s:Body><RetrieveRequestMsg><RetrieveRequest>${retrieve}</RetrieveRequest></RetrieveRequestMsg></s:Body></s:Envelope>`;
    const check = (retrieve: string) =>
      sfmc.check(
        request({
          method: 'POST',
          path: '/Service.asmx',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'Retrieve' },
          body: envelope(retrieve),
        }),
      );
    expect(
      check('<ObjectType>Send</ObjectType><Properties>ID</Properties><Properties>UniqueOpens</Properties>').violations,
    ).toEqual([]);
    expect(messages(check('<ObjectType>Send</ObjectType><Properties>TotalOpens</Properties>'))).toMatch(
      /allowed values/,
    );
    expect(messages(check('<ObjectType>Lead</ObjectType><Properties>ID</Properties>'))).toMatch(/ObjectType/);
  });

  it('check Adaptive Cards against Microsoft’s 1.4 schema inside the Teams envelope', () => {
    const teams = contractFor('teams');
    const post = (content: unknown) =>
      teams.check(
        request({
          method: 'POST',
          path: '/workflows/abc/triggers/manual/paths/invoke',
          ...json({
            type: 'message',
            attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }],
          }),
        }),
      );
    expect(
      post({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'hi' }] }).violations,
    ).toEqual([]);
    expect(messages(post({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'Marquee', text: 'hi' }] }))).toMatch(
      /Adaptive Card 1.4 schema/,
    );
  });

  it('give every transcribed field and operation a source', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string, isField: boolean) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${path}[${i}]`, false);
        });
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (isField && typeof n['x-source'] !== 'string') missing.push(path);
      for (const [key, value] of Object.entries(n)) {
        if (key === 'if' || key === 'then') continue; // conditions refine fields declared (with sources) above
        if (key === 'properties' && value !== null && typeof value === 'object')
          for (const [name, field] of Object.entries(value)) walk(field, `${path}.${name}`, true);
        else if (key === 'parameters' && Array.isArray(value))
          value.forEach((p: Record<string, unknown>, i) => {
            if (typeof p['x-source'] !== 'string') missing.push(`${path}.parameters[${i}]`);
          });
        else walk(value, `${path}.${key}`, /^(get|post|put|patch|delete)$/.test(key));
      }
    };
    for (const [name, doc] of Object.entries({ eloquaSpec, hubspotSpec, sfmcSpec, webhooksSpec }))
      walk((doc as { paths: unknown }).paths, name, false);
    expect(missing).toEqual([]);
  });

  it('never throw, whatever arrives (property)', () => {
    const contracts = Object.keys(vendorContracts).map((v) => contractFor(v as keyof typeof vendorContracts));
    fc.assert(
      fc.property(
        fc.constantFrom(...contracts),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(
          '/rest/asset/v1/emails.json',
          '/v2',
          '/tasks',
          '/Service.asmx',
          '/templates/email/create',
          '/x',
        ),
        fc.string(),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/xml', 'multipart/form-data', ''),
        (contract, method, path, body, type) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body) as unknown;
          } catch {
            parsed = undefined;
          }
          const result = contract.check(
            request({
              method,
              path,
              body,
              json: parsed,
              form: new URLSearchParams(body),
              headers: { 'content-type': type },
            }),
          );
          expect(Array.isArray(result.violations)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
