import { readFile, writeFile } from 'node:fs/promises';
import { checkEmail } from './check-email.js';
import { sampleEmail } from './sample-email.js';

// usage: pnpm start [email.html] [--fix]
const args = process.argv.slice(2);
const fix = args.includes('--fix');
const file = args.find((a) => !a.startsWith('--'));
const email = file === undefined ? sampleEmail : { name: file, subject: '', html: await readFile(file, 'utf8') };

const { result, report, fixedHtml } = checkEmail(email, { fix });
process.stdout.write(`${report}\n`);
if (fix && file !== undefined && fixedHtml !== undefined) {
  await writeFile(file, fixedHtml);
  process.stdout.write(`wrote the safe fixes to ${file}\n`);
}
process.exitCode = result.failed ? 1 : 0;
