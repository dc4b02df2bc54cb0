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
const min = kb(code.byteLength);
const gz = kb(gzipSync(code).byteLength);
console.log(`@hubspoke/core without zod: ${min} KB minified, ${gz} KB gzipped`);
console.log(`BENCH ${JSON.stringify({ name: 'core-min-esm-size-without-zod', value: min, unit: 'KB', target: '<=15' })}`);
console.log(`BENCH ${JSON.stringify({ name: 'core-min-gzip-size-without-zod', value: gz, unit: 'KB', target: '<=5' })}`);
