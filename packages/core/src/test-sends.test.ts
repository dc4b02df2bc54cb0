import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valid as samples } from './__fixtures__/samples.js';
import { isHubspokeError } from './errors/hubspoke-error.js';
import { ConnectorManifestSchema, SendTestInputSchema, UploadAssetInputSchema } from './schemas/connector.js';
import { HubspokeConfigSchema } from './schemas/config.js';
import { assertTestRecipients, isAllowedRecipient } from './test-sends.js';

describe('test-send recipients', () => {
  it('allow only addresses whose domain is exactly an allowed one', () => {
    expect(isAllowedRecipient('qa@acme.example', ['acme.example'])).toBe(true);
    expect(isAllowedRecipient('QA@ACME.example', ['acme.example'])).toBe(true);
    expect(isAllowedRecipient('qa@mail.acme.example', ['acme.example'])).toBe(false);
    expect(isAllowedRecipient('qa@acme.example.evil.test', ['acme.example'])).toBe(false);
    expect(isAllowedRecipient('"a@acme.example"@evil.test', ['acme.example'])).toBe(false);
    expect(isAllowedRecipient('acme.example', ['acme.example'])).toBe(false);
  });

  it('refuse the first address outside, naming it and its index, and refuse everything when nothing is allowed', () => {
    expect(() => {
      assertTestRecipients(['a@acme.example', 'b@gmail.example'], ['acme.example'], 'test.recipients');
    }).toThrow(expect.objectContaining({ code: 'E_FORBIDDEN', path: 'test.recipients[1]' }));
    expect(() => {
      assertTestRecipients(['a@acme.example'], []);
    }).toThrow(expect.objectContaining({ code: 'E_FORBIDDEN', path: 'testSends.allowedDomains' }));
    expect(() => {
      assertTestRecipients(['a@acme.example'], undefined);
    }).toThrow(/Test sends are off/);
  });

  it('never let an address through whose domain is not listed (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.array(fc.domain(), { maxLength: 3 }), (address, domains) => {
        const allowed = domains.map((d) => d.toLowerCase());
        const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
        expect(isAllowedRecipient(address, allowed)).toBe(allowed.includes(domain));
        try {
          assertTestRecipients([address], allowed);
        } catch (error) {
          expect(isHubspokeError(error, 'E_FORBIDDEN')).toBe(true);
        }
      }),
    );
  });
});

describe('connector contract v1.1', () => {
  it('keeps v1 manifests valid and refuses v1.1 capabilities in them', () => {
    expect(ConnectorManifestSchema.safeParse(samples.connectorManifest).success).toBe(true);
    const v1 = ConnectorManifestSchema.safeParse({ ...samples.connectorManifest, capabilities: ['check', 'sendTest'] });
    expect(v1.success).toBe(false);
    expect(v1.error?.issues[0]).toMatchObject({ path: ['capabilities', 1], message: expect.stringMatching(/v1\.1/) });
    const v11 = ConnectorManifestSchema.safeParse({
      ...samples.connectorManifest,
      specificationVersion: 'v1.1',
      capabilities: ['check', 'pushEmail', 'sendTest', 'uploadAsset'],
    });
    expect(v11.success).toBe(true);
  });

  it('describes test sends and uploads as data', () => {
    expect(
      SendTestInputSchema.safeParse({
        draftId: 'spring',
        draftVersion: 2,
        locale: 'en',
        recipients: ['qa@acme.example'],
      }).success,
    ).toBe(true);
    expect(
      SendTestInputSchema.safeParse({ draftId: 'spring', draftVersion: 2, locale: 'en', recipients: [] }).success,
    ).toBe(false);
    const png = { name: 'hero.png', contentType: 'image/png', data: 'iVBORw0KGgo=' };
    expect(UploadAssetInputSchema.safeParse(png).success).toBe(true);
    expect(UploadAssetInputSchema.safeParse({ ...png, contentType: 'image/svg+xml' }).success).toBe(false);
    expect(UploadAssetInputSchema.safeParse({ ...png, name: '../etc/passwd' }).success).toBe(false);
    expect(UploadAssetInputSchema.safeParse({ ...png, data: 'not base64!' }).success).toBe(false);
  });
});

describe('hub config testSends', () => {
  const config = (testSends: unknown) => HubspokeConfigSchema.safeParse({ ...samples.hubspokeConfig, testSends });

  it('takes seed lists per region and the allowed domains, with an hourly cap', () => {
    const parsed = config({
      allowedDomains: ['acme.example'],
      seedLists: { emea: { region: 'EMEA', recipients: ['qa-emea@acme.example'] } },
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.testSends?.maxPerHour).toBe(20);
  });

  it('refuses a seed address outside the allowed domains, naming it', () => {
    const parsed = config({
      allowedDomains: ['acme.example'],
      seedLists: { na: { recipients: ['qa@gmail.example'] } },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['testSends', 'seedLists', 'na', 'recipients', 0]);
  });
});
