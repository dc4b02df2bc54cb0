// Writes dist/schemas/<file>.json from the zod schemas, so editors can autocomplete
// brand kits, templates, workflows and OKR sets. Runs after tsup (see the build script).
import { mkdir, writeFile } from 'node:fs/promises';
import { jsonSchemaFiles, jsonSchemaFor } from '../dist/index.js';

const out = new URL('../dist/schemas/', import.meta.url);
await mkdir(out, { recursive: true });
for (const [file, name] of Object.entries(jsonSchemaFiles)) {
  await writeFile(new URL(`${file}.json`, out), `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`);
}
console.log(`wrote ${Object.keys(jsonSchemaFiles).length} JSON Schema files to dist/schemas/`);
