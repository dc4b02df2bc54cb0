import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DemoError, runDemo } from './story.js';

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
const say = (line: string) => {
  process.stdout.write(`${line}\n`);
};

say('Hubspoke demo: Northwind Trails, one hub and two spokes');
say('=======================================================');
let result: Awaited<ReturnType<typeof runDemo>>;
try {
  result = await runDemo({ outDir, say });
} catch (error) {
  // One clear line and a non-zero exit, like the CLI itself.
  process.stderr.write(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof DemoError ? error.step.code : 1);
}
say('');
say(`Done. Berlin is ${result.final.berlin}, Austin is ${result.final.austin}.`);
say(
  `Through the server: berlin-summer is ${result.server.final.berlin}, austin-summer is ${result.server.final.austin}.`,
);
// Paths as seen from where `pnpm demo` was typed (pnpm runs this script in the example's folder).
const here = process.env.INIT_CWD ?? process.cwd();
say(`Everything the demo wrote is in ${path.relative(here, outDir) || outDir}:`);
for (const file of result.files) say(`  ${path.relative(here, path.join(result.hub, file))}`);
