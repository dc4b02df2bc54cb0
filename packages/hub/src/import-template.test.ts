import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderHub, freshDatabase } from './__fixtures__/hubs.js';
import { importHub } from './exchange.js';
import { openHub } from './hub.js';
import { importTemplate } from './import-template.js';

const EMAIL = `<mjml>
  <mj-head><mj-title>Autumn</mj-title></mj-head>
  <mj-body>
    <mj-section><mj-column><mj-text><h1>Autumn trails</h1></mj-text><mj-button href="https://northwind.example/autumn">Go</mj-button></mj-column></mj-section>
  </mj-body>
</mjml>
`;

describe('importTemplate', () => {
  it('publishes the imported template as a version in a store hub, checked to render identically', async () => {
    const folder = await folderHub();
    const { database, cleanup } = await freshDatabase('pglite');
    try {
      const stored = await openHub({ database, env: {} });
      await importHub(folder.hub, (await stored.state()).store, await folder.hub.principal('hana'));
      const file = path.join(folder.dir, 'autumn.mjml');
      await writeFile(file, EMAIL);
      const hana = await stored.principal('hana');
      const outcome = await importTemplate(stored, hana, file);
      expect(outcome).toMatchObject({
        ok: true,
        check: { identical: true, sameText: true },
        published: { created: true },
      });
      expect((await stored.latestTemplate('autumn')).modules.map((m) => m.id)).toEqual(['autumn-trails']);
      expect((await importTemplate(stored, hana, file)).published).toEqual({ created: false });
      await expect(importTemplate(stored, await stored.principal('jo'), file, { id: 'x' })).rejects.toMatchObject({
        code: 'E_FORBIDDEN',
      });
      await stored.close();
    } finally {
      await cleanup();
    }
  });
});
