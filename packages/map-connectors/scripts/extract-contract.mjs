#!/usr/bin/env node
// Keeps the operations a connector uses from a vendor's Swagger 2.0 / OpenAPI 3 document, with every
// definition they reference, so the test fixture stays small and traceable to the vendor's file.
// Usage: node scripts/extract-contract.mjs <spec.json> <out.json> "<METHOD> <path>"...
// (Convert YAML specs to JSON first.) Descriptions and examples are dropped; everything else is copied as is.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, ...wanted] = process.argv.slice(2);
if (input === undefined || output === undefined || wanted.length === 0) {
  console.error('usage: extract-contract.mjs <spec.json> <out.json> "<METHOD> <path>"...');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(input, 'utf8'));
const swagger2 = spec.swagger === '2.0';
const out = swagger2
  ? { swagger: spec.swagger, info: spec.info, host: spec.host, basePath: spec.basePath, paths: {}, definitions: {} }
  : { openapi: spec.openapi, info: spec.info, servers: spec.servers, paths: {}, components: { schemas: {} } };
if (!swagger2 && spec.components?.securitySchemes) out.components.securitySchemes = spec.components.securitySchemes;
if (!swagger2 && spec.security) out.security = spec.security;

const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const copy = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'example' || key === 'examples' || key === 'x-badges') continue;
    // Keep descriptions only where they carry the contract (parameter notes), trimmed.
    if (key === 'description' && typeof v === 'string') {
      copy[key] = v.length > 300 ? `${v.slice(0, 297)}...` : v;
      continue;
    }
    copy[key] = strip(v);
  }
  return copy;
};

const refs = new Set();
const lookup = (ref) =>
  ref
    .slice(2)
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
const collect = (value) => {
  if (Array.isArray(value)) return value.forEach(collect);
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string') {
      if (!refs.has(v)) {
        refs.add(v);
        collect(lookup(v));
      }
    } else collect(v);
  }
};

for (const entry of wanted) {
  const [method, path] = entry.split(' ');
  const item = spec.paths[path];
  const op = item?.[method.toLowerCase()];
  if (op === undefined) throw new Error(`not in the spec: ${entry}`);
  const { responses: _responses, ...request } = op; // the oracle checks requests
  out.paths[path] ??= item.parameters ? { parameters: strip(item.parameters) } : {};
  out.paths[path][method.toLowerCase()] = strip(request);
  collect(request);
  collect(item.parameters);
}
for (const ref of [...refs].sort()) {
  const parts = ref.slice(2).split('/');
  const name = parts.pop();
  let target = out;
  for (const part of parts) target = target[part] ??= {};
  target[name] = strip(lookup(ref));
}
writeFileSync(output, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${output}: ${wanted.length} operations, ${refs.size} schemas`);
