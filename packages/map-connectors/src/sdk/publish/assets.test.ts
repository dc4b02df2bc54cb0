import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { marketo } from '../../connectors/marketo/marketo.js';
import { FakeMarketo } from '../../testkit/fakes/marketo.js';
import { fastTestRuntime, samplePng, sampleRenderedEmail } from '../../testkit/fixtures.js';
import { guardContract } from '../../testkit/vitest.js';
import { hostEmailImages } from './assets.js';

let fake: FakeMarketo;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 }).start();
});
afterEach(async () => {
  await fake.close();
});
const connector = () =>
  marketo.create(
    {
      baseUrl: fake.url,
      clientId: 'marketo-client',
      clientSecret: 'marketo-secret',
      emailFolderId: 1,
      templateFolderId: 2,
    },
    fastTestRuntime,
  );

describe('hostEmailImages', () => {
  it('uploads each approved image once and points every <img> using it at the hosted copy', async () => {
    const html =
      '<html><body><img src="brand/hero.png" alt="a"><p>x</p><IMG alt="b" SRC=\'brand/hero.png\'>' +
      '<img src="https://tracker.example/p.gif"><img src="brand/a&amp;b.png"></body></html>';
    const loaded: string[] = [];
    const { email, images } = await hostEmailImages(connector(), sampleRenderedEmail({ html }), (src) => {
      loaded.push(src);
      return Promise.resolve(
        src.startsWith('brand/')
          ? { name: src.slice(6), contentType: 'image/png' as const, data: samplePng }
          : undefined,
      );
    });
    expect(loaded).toEqual(['brand/hero.png', 'https://tracker.example/p.gif', 'brand/a&b.png']);
    expect(fake.files.size).toBe(1); // the same bytes twice: one upload
    const url = images[0]!.url;
    expect(images).toEqual([
      { src: 'brand/hero.png', url, created: true },
      { src: 'brand/a&b.png', url, created: false },
    ]);
    expect(email.html).toBe(
      `<html><body><img src="${url}" alt="a"><p>x</p><IMG alt="b" SRC="${url}">` +
        `<img src="https://tracker.example/p.gif"><img src="${url}"></body></html>`,
    );
    expect(email.bytes).toBe(Buffer.byteLength(email.html));
  });

  it('says when the platform has no file store for uploads', async () => {
    const full = connector();
    const noUpload = {
      manifest: full.manifest,
      specificationVersion: full.specificationVersion,
      check: () => full.check(),
    };
    await expect(
      hostEmailImages(noUpload, sampleRenderedEmail(), () => Promise.resolve(undefined)),
    ).rejects.toMatchObject({ code: 'E_UNSUPPORTED', details: { capability: 'uploadAsset' } });
  });
});
