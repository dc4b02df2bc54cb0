// Writes dist/schemas/lint-config.json from the zod config schema, so editors can check and
// autocomplete lint config files. Runs after tsup (see the build script).
import { mkdir, writeFile } from 'node:fs/promises';
import { lintConfigJsonSchema } from '../dist/index.js';

const out = new URL('../dist/schemas/', import.meta.url);
await mkdir(out, { recursive: true });
await writeFile(new URL('lint-config.json', out), `${JSON.stringify(lintConfigJsonSchema(), null, 2)}\n`);
console.log('wrote dist/schemas/lint-config.json');
