// Sums every package's vitest JSON report (.reports/vitest.json) into the one line CI reads:
//   tests: N passed, N failed[, N skipped]
// Packages whose tests did not run (a failed build, say) have no report and are listed. A test file
// that failed outside its tests (a beforeAll that threw, an import error) counts as one failure, with
// its error: vitest reports its tests as skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['packages', 'examples']) {
  const dir = path.join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    const pkg = path.join(dir, name, 'package.json');
    if (!existsSync(pkg)) continue;
    const manifest = JSON.parse(readFileSync(pkg, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const report = path.join(dir, name, '.reports', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const files = r.testResults ?? [];
    const brokenFiles = files.filter(
      (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
    );
    const skip = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    const fail = (r.numFailedTests ?? 0) + brokenFiles.length;
    passed += r.numPassedTests ?? 0;
    failed += fail;
    skipped += skip;
    console.log(`  ${group}/${name}: ${r.numPassedTests} passed, ${fail} failed${skip ? `, ${skip} skipped` : ''}`);
    for (const file of brokenFiles)
      console.log(`    ✖ ${path.relative(root, file.name)}: ${(file.message ?? 'failed').split('\n')[0]}`);
    for (const file of files) {
      for (const test of file.assertionResults ?? []) {
        if (test.status === 'failed')
          console.log(
            `    ✖ ${path.relative(root, file.name)} › ${test.fullName}: ${(test.failureMessages?.[0] ?? '').split('\n')[0]}`,
          );
      }
    }
  }
}
if (missing.length > 0) console.log(`  no test report (tests did not run): ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
