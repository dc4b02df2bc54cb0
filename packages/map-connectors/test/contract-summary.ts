/**
 * Vitest global setup: every request a contract-checked fake receives is logged (the fake
 * server appends one line per request to `HUBSPOKE_CONTRACT_LOG`); after the run this prints
 * how many requests each vendor contract validated and refused, and which operations of the
 * shipped contracts no test exercised, and writes the same to `.reports/contracts.json`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractFor, vendorContracts, type ContractVendor } from '../src/testkit/contracts/vendors.js';

interface Line {
  vendor: string;
  operation: string;
  ok: boolean;
}

export interface VendorSummary {
  validated: number;
  refused: number;
  operations: Record<string, number>;
  /** Operations of the shipped contract no request in this run reached. */
  unexercised: string[];
}

/** Sums the log lines per vendor; `known` lists each shipped contract's operations. */
export function summarize(lines: Line[], known: Record<string, readonly string[]>): Record<string, VendorSummary> {
  const out: Record<string, VendorSummary> = {};
  const entry = (vendor: string) => (out[vendor] ??= { validated: 0, refused: 0, operations: {}, unexercised: [] });
  for (const line of lines) {
    const summary = entry(line.vendor);
    if (line.ok) summary.validated++;
    else summary.refused++;
    summary.operations[line.operation] = (summary.operations[line.operation] ?? 0) + 1;
  }
  for (const [vendor, operations] of Object.entries(known)) {
    const summary = entry(vendor);
    summary.unexercised = operations.filter((op) => summary.operations[op] === undefined);
  }
  return out;
}

export default function setup(): () => void {
  if (process.env.HUBSPOKE_CONTRACT_LOG !== undefined && process.env.HUBSPOKE_CONTRACT_LOG !== '')
    return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hubspoke-contracts-'));
  const log = join(dir, 'requests.jsonl');
  writeFileSync(log, '');
  process.env.HUBSPOKE_CONTRACT_LOG = log;
  return () => {
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
    rmSync(dir, { recursive: true, force: true });
    if (lines.length === 0) return; // a run of files without contract-checked fakes
    const known = Object.fromEntries(
      (Object.keys(vendorContracts) as ContractVendor[]).map((v) => [v, contractFor(v).operations]),
    );
    const summary = summarize(lines, known);
    mkdirSync('.reports', { recursive: true });
    writeFileSync(join('.reports', 'contracts.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const rows = Object.entries(summary)
      .filter(([, s]) => s.validated + s.refused > 0)
      .map(
        ([vendor, s]) =>
          `  ${vendor.padEnd(8)} ${String(s.validated).padStart(6)} valid ${String(s.refused).padStart(4)} refused`,
      );
    const total = lines.length;
    console.log(`\nVendor contracts: ${total} requests checked\n${rows.join('\n')}`);
    for (const [vendor, s] of Object.entries(summary))
      if (s.unexercised.length > 0 && s.validated + s.refused > 0)
        console.log(`  ${vendor}: contract operations no test reached: ${s.unexercised.join(', ')}`);
  };
}
