import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDryRunRecorder } from '../../sdk/http/dry-run.js';
import { samplePushEmailInput } from '../../testkit/fixtures.js';
import { fs, listImages } from './fs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubspoke-fs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fs exporter', () => {
  it('reports an output folder it cannot create as E_UPSTREAM, and check() says so', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the folder should be');
    const connector = fs.create({ outDir: join(blocker, 'out') });
    const health = await connector.check();
    expect(health.ok).toBe(false);
    expect(health.details).toMatchObject({ code: 'E_UPSTREAM' });
    const error = await connector.pushEmail?.(samplePushEmailInput(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UPSTREAM' });
  });

  it('writes a bundle (HTML, text, images list, manifest) and updates it in place on re-push', async () => {
    const connector = fs.create({ outDir: dir });
    expect(await connector.check()).toMatchObject({ ok: true });
    const progress: string[] = [];
    const first = await connector.pushEmail!(samplePushEmailInput(1, { locale: 'de-DE' }), {
      onProgress: (d, t) => progress.push(`${d}/${t}`),
    });
    expect(first).toMatchObject({ remoteId: 'draft-1/v1/de-DE', created: true });
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const bundle = join(dir, 'draft-1', 'v1', 'de-DE');
    expect((await readdir(bundle)).sort()).toEqual(['email.html', 'email.txt', 'images.json', 'manifest.json']);
    expect(JSON.parse(await readFile(join(bundle, 'images.json'), 'utf8'))).toEqual([
      { src: 'https://cdn.example.com/hero.png', alt: 'Flowers' },
    ]);
    expect(JSON.parse(await readFile(join(bundle, 'manifest.json'), 'utf8'))).toMatchObject({
      draftId: 'draft-1',
      locale: 'de-DE',
      subject: 'Spring sale starts now',
      images: 1,
    });
    const again = await connector.pushEmail!(samplePushEmailInput(1, { locale: 'de-DE', html: '<p>v2</p>' }));
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(await readFile(join(bundle, 'email.html'), 'utf8')).toBe('<p>v2</p>');
  });

  it('records writes in a dry run and touches nothing', async () => {
    const dryRun = createDryRunRecorder();
    const out = join(dir, 'nothing-here');
    await fs.create({ outDir: out }, { dryRun }).pushEmail!(samplePushEmailInput(1));
    expect(dryRun.records.map((r) => [r.method, r.target.split(/[\\/]/).at(-1)])).toEqual([
      ['WRITE', 'email.html'],
      ['WRITE', 'email.txt'],
      ['WRITE', 'images.json'],
      ['WRITE', 'manifest.json'],
    ]);
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses ids that would escape the output folder', async () => {
    const connector = fs.create({ outDir: dir });
    await expect(connector.pushEmail!(samplePushEmailInput(1, { draftId: '../../etc' }))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'email.draftId',
    });
    await expect(
      connector.pushTemplate!({ templateId: '..', templateVersion: 1, name: 'x', html: '<p/>' }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION' });
  });

  it('keeps tasks idempotent by key and appends notifications to the outbox', async () => {
    const connector = fs.create({ outDir: dir });
    const task = { taskKey: 'sub-1:legal', title: 'Review', submissionId: 'sub-1' };
    const a = await connector.createTask!(task);
    const b = await connector.createTask!(task);
    expect(b).toEqual(a);
    await connector.closeTask!(a, 'approved');
    await connector.notify!({ title: 'Review requested', text: 'Please review' });
    const tasks = (await readFile(join(dir, 'outbox', 'tasks.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string });
    expect(tasks.map((t) => t.action)).toEqual(['create', 'close']);
    expect(await readFile(join(dir, 'outbox', 'notifications.jsonl'), 'utf8')).toContain('Review requested');
  });
});

describe('listImages', () => {
  it('lists img sources and alts, ignoring imgs without src and hostile markup', () => {
    expect(
      listImages('<img src="a.png"><IMG SRC="b.png" alt=""><img alt="x"><script>"<img src=c.png>"</script>'),
    ).toEqual([
      { src: 'a.png', alt: null },
      { src: 'b.png', alt: '' },
    ]);
  });
});
