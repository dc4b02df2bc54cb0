// Cold start of the `hubspoke` binary against a bare `node -e 0`: the median of 10 runs each,
// for `--help` and for every command's `--help`. Prints BENCH lines (ratio: lower is better).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const RUNS = 10;

function median(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;
}

const bench = (name, value, unit, target) =>
  console.log(`BENCH ${JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, target })}`);

const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout;
const commands = [...help.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');

// Interleave the baseline with the measured runs so that machine load affects both alike.
const bare = median(['-e', '0']);
const top = median([BIN, '--help']);
let worst = { name: '', ms: 0 };
for (const command of commands) {
  const ms = median([BIN, command, '--help']);
  if (ms > worst.ms) worst = { name: command, ms };
}
const bareAgain = median(['-e', '0']);
const baseline = (bare + bareAgain) / 2;
bench('node -e 0 (median of 10)', baseline, 'ms', '>=0');
bench('hubspoke --help / node -e 0', top / baseline, 'x', '<=2');
bench(`hubspoke <command> --help / node -e 0 (slowest: ${worst.name})`, worst.ms / baseline, 'x', '<=2');
