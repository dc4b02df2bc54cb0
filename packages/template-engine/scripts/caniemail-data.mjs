// Generates src/checks/caniemail/data.json, the part of caniemail's data set (caniemail.com, MIT) the
// compatibility check reads: per feature its title, category, the latest support entry per client
// (caniemail's own "latest" choice: the last version key in string order) and the notes those
// entries cite. 123 KB instead of caniemail's 654 KB, and no caniemail at run time (it depends on a
// prettier plugin, which pulls prettier and babel in). caniemail is a dev dependency; the test
// `caniemail.test.ts` fails when data.json differs from what this script generates.
//   node scripts/caniemail-data.mjs          write data.json
//   node scripts/caniemail-data.mjs --check  exit 1 if data.json is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const target = fileURLToPath(new URL('../src/checks/caniemail/data.json', import.meta.url));

/** caniemail's latest entry: the last version key in plain string order. */
const latest = (versions) =>
  versions[
    Object.keys(versions)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .at(-1)
  ];

export function compactData() {
  const raw = require('caniemail/caniemail.json');
  const { version } = require('caniemail/package.json');
  const clients = [
    ...new Set(
      raw.data.flatMap((f) =>
        Object.entries(f.stats).flatMap(([family, platforms]) => Object.keys(platforms).map((p) => `${family}.${p}`)),
      ),
    ),
  ].sort();
  const features = raw.data.map((f) => {
    const cited = new Set();
    const support = clients.map((client) => {
      const [family, platform] = client.split('.');
      const versions = f.stats[family]?.[platform];
      if (versions === undefined) return null;
      const entry = latest(versions);
      for (const m of entry.matchAll(/#(\d+)/g)) cited.add(m[1]);
      return entry;
    });
    const notes = {};
    for (const n of [...cited].sort((a, b) => Number(a) - Number(b))) {
      if (f.notes_by_num?.[n] !== undefined) notes[n] = f.notes_by_num[n];
    }
    return { title: f.title, category: f.category, support, notes };
  });
  return `${JSON.stringify({ source: `caniemail ${version}`, updated: raw.last_update_date, clients, features })}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = compactData();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error('src/checks/caniemail/data.json is stale: run node scripts/caniemail-data.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote src/checks/caniemail/data.json (${text.length} bytes)`);
  }
}
