import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from './story.js';

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
const say = (line: string) => {
  process.stdout.write(`${line}\n`);
};

say('Hubspoke demo: Northwind Trails, one hub and two spokes');
say('=======================================================');
const result = await runDemo({ outDir, say });
say('');
say(`Done. Berlin is ${result.final.berlin}, Austin is ${result.final.austin}.`);
say(`Everything the demo wrote is in ${path.relative(process.cwd(), outDir) || outDir}:`);
for (const file of result.files) say(`  ${path.relative(process.cwd(), path.join(result.hub, file))}`);
