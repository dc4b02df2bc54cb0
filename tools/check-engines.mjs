// Checks that `engines.node` tells the truth: for every public package, each Node version the
// range admits is admitted by every package it installs at run time (its dependencies, their
// dependencies, …, as resolved in node_modules). Prints each dependency that admits less, with
// the chain that pulls it in, and exits 1. Run by `pnpm test` (turbo's //#check:engines).
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Where Node would find `name` from a package folder (nearest node_modules up the tree). */
function resolveFrom(dir, name) {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return path.dirname(realpathSync(candidate));
    if (path.dirname(at) === at) return undefined;
  }
}

/** Every package installed for `dir` at run time: dependencies and optional dependencies, transitively. */
function runtimeClosure(dir) {
  const found = new Map();
  const queue = [{ dir: realpathSync(dir), chain: [] }];
  while (queue.length > 0) {
    const { dir: at, chain } = queue.shift();
    const manifest = readJson(path.join(at, 'package.json'));
    const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const name of Object.keys(deps)) {
      const where = resolveFrom(at, name);
      if (where === undefined || found.has(where)) continue; // an optional dependency for another platform
      const dep = readJson(path.join(where, 'package.json'));
      const entry = { name: dep.name, version: dep.version, node: dep.engines?.node, chain: [...chain, name] };
      found.set(where, entry);
      queue.push({ dir: where, chain: entry.chain });
    }
  }
  return [...found.values()];
}

let problems = 0;
const packagesDir = path.join(root, 'packages');
for (const name of readdirSync(packagesDir).sort()) {
  const dir = path.join(packagesDir, name);
  if (!existsSync(path.join(dir, 'package.json'))) continue;
  const manifest = readJson(path.join(dir, 'package.json'));
  if (manifest.private) continue;
  const declared = manifest.engines?.node;
  if (declared === undefined || semver.validRange(declared) === null) {
    console.log(`${manifest.name}: engines.node is missing or not a valid range (${String(declared)})`);
    problems++;
    continue;
  }
  for (const dep of runtimeClosure(dir)) {
    if (dep.node === undefined || semver.validRange(dep.node) === null) continue;
    if (semver.subset(declared, dep.node, { includePrerelease: false })) continue;
    console.log(
      `${manifest.name} declares node "${declared}", but ${dep.name}@${dep.version} needs "${dep.node}" (${[manifest.name, ...dep.chain].join(' > ')})`,
    );
    problems++;
  }
}
if (problems > 0) {
  console.log(
    `engines: ${problems} dependenc${problems === 1 ? 'y admits' : 'ies admit'} fewer Node versions than declared`,
  );
  process.exit(1);
}
console.log('engines: every dependency admits every Node version each package declares');
