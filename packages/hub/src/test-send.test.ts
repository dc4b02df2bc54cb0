import { assertContractClean, FakeMarketo, samplePng } from '@hubspoke/map-connectors/testkit';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { editJson, exampleFolder } from './__fixtures__/hubs.js';
import { loadHub, type Hub } from './hub.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('push with brand images uploaded and a test send to a seed list', () => {
  let hub: Hub;
  let dir: string;
  let fake: FakeMarketo;
  const fetched: string[] = [];
  /** Serves every brand-kit image as the same PNG (the CDN is not reachable from tests). */
  const cdn = (url: string | URL | Request) => {
    fetched.push(url instanceof Request ? url.url : url.toString());
    return Promise.resolve(
      new Response(Buffer.from(samplePng, 'base64'), { headers: { 'content-type': 'image/png' } }),
    );
  };

  beforeAll(async () => {
    fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 }).start();
    dir = await exampleFolder();
    await editJson(path.join(dir, 'hubspoke.config.json'), (config) => {
      config.connectors = {
        ...(config.connectors as object),
        marketo: {
          use: 'marketo',
          config: {
            baseUrl: fake.url,
            clientId: '${MKTO_ID}',
            clientSecret: '${MKTO_SECRET}',
            emailFolderId: 1,
            templateFolderId: 2,
            fromName: 'Northwind Trails',
            fromEmail: 'news@northwind.example',
            replyEmail: 'reply@northwind.example',
          },
        },
      };
      config.testSends = {
        allowedDomains: ['northwind.example'],
        seedLists: {
          'na-qa': { region: 'NA', recipients: ['qa@northwind.example', 'legal@northwind.example'] },
          'emea-qa': { region: 'EMEA', recipients: ['qa-emea@northwind.example'] },
        },
      };
    });
    hub = await loadHub({
      cwd: dir,
      database: 'memory:',
      env: { MKTO_ID: 'marketo-client', MKTO_SECRET: 'marketo-secret' },
    });
    await hub.submit(await hub.principal('jo'), 'austin-store-opening');
    await hub.decide(await hub.principal('sam'), 'austin-store-opening', { verdict: 'approved' });
  });
  afterEach(() => {
    assertContractClean(fake);
  });
  afterAll(async () => {
    await hub.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the images a dry run would upload, and fetches and sends nothing', async () => {
    const jo = await hub.principal('jo');
    const offline = () => Promise.reject(new Error('a dry run fetched an image'));
    const dry = await hub.push(jo, 'austin-store-opening', { connector: 'marketo', dryRun: true, fetch: offline });
    expect(dry.images).toEqual({
      wouldUpload: expect.arrayContaining([
        { src: 'https://cdn.northwind.example/brand/logo.png', asset: expect.any(String) },
      ]),
    });
    expect(fake.files.size).toBe(0);
    expect(fake.templates.size).toBe(0);
  });

  it('uploads the approved images once, points the pushed email at them, then test-sends each locale, audited', async () => {
    const jo = await hub.principal('jo');
    const outcome = await hub.push(jo, 'austin-store-opening', { connector: 'marketo', testSend: 'na-qa', fetch: cdn });
    expect(outcome.report.failed).toBe(0);
    if (!('uploaded' in outcome.images)) throw new Error('marketo has a file store');
    const uploaded = outcome.images.uploaded;
    expect(uploaded.map((i) => i.src)).toContain('https://cdn.northwind.example/brand/logo.png');
    expect(fetched.every((url) => url.startsWith('https://cdn.northwind.example/'))).toBe(true);
    expect(fake.files.size).toBe(1); // every brand image here is the same PNG: one upload
    const template = [...fake.templates.values()][0]!;
    expect(template.content).toContain(uploaded[0]!.url);
    expect(template.content).not.toContain('https://cdn.northwind.example/brand/logo.png');
    expect(outcome.testSends).toEqual([
      {
        connector: 'marketo',
        locale: 'en-US',
        result: expect.objectContaining({ sent: ['qa@northwind.example', 'legal@northwind.example'] }),
      },
    ]);
    expect(fake.samples.map((s) => s.emailAddress)).toEqual(['qa@northwind.example', 'legal@northwind.example']);
    const { store } = await hub.state();
    const audit = (await store.changesSince('0')).filter((c) => c.kind === 'testSend');
    expect(audit.map((c) => (c.data as { outcome: string }).outcome)).toEqual(['requested', 'sent']);
    expect(audit[0]).toMatchObject({ actor: 'jo', key: 'austin-store-opening:1:en-US' });
  });

  it('refuses, before pushing anything, a seed list of another region, an unknown one, and a connector without sendTest', async () => {
    const jo = await hub.principal('jo');
    const before = fake.requests.length;
    expect(
      await rejection(hub.push(jo, 'austin-store-opening', { connector: 'marketo', testSend: 'emea-qa', fetch: cdn })),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
      path: 'testSend',
    });
    expect(
      await rejection(hub.push(jo, 'austin-store-opening', { connector: 'marketo', testSend: 'na', fetch: cdn })),
    ).toMatchObject({
      code: 'E_NOT_FOUND',
      hint: 'known: na-qa, emea-qa',
    });
    expect(fake.requests.length).toBe(before);
    const absent = await rejection(hub.push(jo, 'austin-store-opening', { connector: 'fs', testSend: 'na-qa' }));
    expect(absent).toMatchObject({ code: 'E_UNSUPPORTED', details: { capability: 'sendTest' } });
    expect(String(absent.message)).toMatch(/capability sendTest absent/);
  });

  it('says when the platform has no file store, and leaves the images where they are', async () => {
    const outcome = await hub.push(await hub.principal('jo'), 'austin-store-opening', { connector: 'fs' });
    expect(outcome.images).toEqual({ absent: true });
  });
});
