// Core's minified ESM size with zod left out (the part core itself adds), gzipped, and what a
// consumer's bundle keeps of it for typical imports (module-level calls are marked pure at build).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const options = { bundle: true, minify: true, format: 'esm', platform: 'neutral', external: ['zod'], write: false };
const sizeOf = async (input) => (await build({ ...options, ...input })).outputFiles[0].contents;
const imported = (names) =>
  sizeOf({
    stdin: { contents: `import { ${names} } from ${JSON.stringify(entry)}; console.log(${names});`, resolveDir: '.' },
  });

const kb = (n) => Math.round((n / 1024) * 10) / 10;
const mb = (n) => Math.round((n / 1024 / 1024) * 10000) / 10000;
const bench = (name, bytes, target) =>
  console.log(`BENCH ${JSON.stringify({ name, value: mb(bytes), unit: 'MB', target })}`);

const code = await sizeOf({ entryPoints: [entry] });
const gzipped = gzipSync(code).byteLength;
console.log(
  `@hubspoke/core without zod: ${kb(code.byteLength)} KB minified, ${kb(gzipped)} KB gzipped (goal: 15 KB minified)`,
);
bench('core-min-esm-size-without-zod', code.byteLength, '<=0.015');
bench('core-min-gzip-size-without-zod', gzipped, '<=0.005');

console.log('\nimported alone        minified');
for (const [label, names] of [
  ['errors', 'HubspokeError'],
  ['brand-kit', 'parseBrandKit'],
  ['permissions', 'can, hybrid'],
  ['template', 'TemplateSchema'],
]) {
  const bytes = (await imported(names)).byteLength;
  console.log(`${names.padEnd(20)}  ${kb(bytes)} KB`);
  bench(`core-min-esm-size-import-${label}`, bytes, '<=0.015');
}
