// Core's minified ESM size with zod left out (the part core itself adds), and gzipped.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  external: ['zod'],
  write: false,
});
const code = result.outputFiles[0].contents;
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const mb = (n) => Math.round((n / 1024 / 1024) * 10000) / 10000;
const gzipped = gzipSync(code).byteLength;
console.log(`@hubspoke/core without zod: ${kb(code.byteLength)} KB minified, ${kb(gzipped)} KB gzipped (goal: 15 KB minified)`);
console.log(`BENCH ${JSON.stringify({ name: 'core-min-esm-size-without-zod', value: mb(code.byteLength), unit: 'MB', target: '<=0.015' })}`);
console.log(`BENCH ${JSON.stringify({ name: 'core-min-gzip-size-without-zod', value: mb(gzipped), unit: 'MB', target: '<=0.005' })}`);
