import { runTour } from './tour.js';

const report = runTour();
const line = (s = '') => {
  process.stdout.write(`${s}\n`);
};

line('Hubspoke core tour');
line('==================');
line(
  `1. HQ's brand kit "${report.brandKit.name}" is valid: ${report.brandKit.colours} palette colours, ${report.brandKit.bannedTerms} banned term.`,
);
line('2. A spoke types a colour name instead of a hex code. The error says exactly where:');
line(`   ${report.validationError.code}: ${report.validationError.message}`);
line('3. The hybrid operating model decides who may do what:');
for (const d of report.decisions)
  line(`   ${d.allowed ? 'ALLOW' : 'DENY '} ${d.who} → ${d.action} on ${d.on}: ${d.why}`);
line(
  `4. Two findings on a draft count as ${report.diagnostics.error} error and ${report.diagnostics.warning} warning.`,
);
line(
  `5. Editors autocomplete brand kits from @hubspoke/core/schemas/brand-kit.json (${report.schemaProperties.length} top-level properties).`,
);
line();
line('The full hub-and-spoke demo arrives with the CLI; this tour shows the foundation it stands on.');
