import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApprovalEvent } from '@hubspoke/core';
import { Harness, fullSubmit } from '../__fixtures__/harness.js';
import { hashEvent, verifyAudit } from './hash-chain.js';

function history(): ApprovalEvent[] {
  const h = new Harness();
  h.do('lena', fullSubmit);
  h.do('bea', { type: 'decide', decision: 'approved' });
  h.do('lee', { type: 'comment', text: 'Footnote 2 needs the date' });
  h.do('lee', { type: 'decide', decision: 'approved' });
  return h.events;
}

describe('verifyAudit', () => {
  const events = history();

  it('accepts an untouched history and reports its head', () => {
    expect(verifyAudit(events)).toEqual({ ok: true, count: events.length, head: events[events.length - 1]?.hash });
    expect(verifyAudit([])).toEqual({ ok: true, count: 0, head: '' });
  });

  it('chains every event to the one before and hashes the canonical JSON', () => {
    events.forEach((e, i) => {
      expect(e.prevHash).toBe(i === 0 ? '' : events[i - 1]?.hash);
      expect(hashEvent(e)).toBe(e.hash);
    });
    const reordered = Object.fromEntries(Object.entries(events[0]!).reverse()) as ApprovalEvent;
    expect(hashEvent(reordered)).toBe(events[0]?.hash);
  });

  it('detects an edited event, even with its hash recomputed, and names it', () => {
    const edited = structuredClone(events);
    edited[2]!.data.decision = 'changesRequired';
    expect(verifyAudit(edited)).toMatchObject({
      ok: false,
      index: 2,
      seq: 3,
      eventId: edited[2]!.id,
      problem: 'hash-mismatch',
    });
    edited[2]!.hash = hashEvent(edited[2]!);
    expect(verifyAudit(edited)).toMatchObject({ ok: false, index: 3, problem: 'broken-chain' });
  });

  it('detects a deleted event', () => {
    const deleted = events.filter((_, i) => i !== 1);
    expect(verifyAudit(deleted)).toMatchObject({ ok: false, index: 1, problem: 'out-of-sequence' });
  });

  it('detects an inserted event', () => {
    const inserted = [...events.slice(0, 2), { ...events[1]!, id: 'forged' }, ...events.slice(2)];
    expect(verifyAudit(inserted)).toMatchObject({ ok: false, index: 2, eventId: 'forged', problem: 'out-of-sequence' });
  });

  it('detects a reorder', () => {
    const swapped = [events[0]!, events[2]!, events[1]!, ...events.slice(3)];
    expect(verifyAudit(swapped)).toMatchObject({ ok: false, index: 1, problem: 'out-of-sequence' });
  });

  it('detects a renumbered forgery whose chain is rebuilt only up to the edit', () => {
    const forged = structuredClone(events.slice(0, 3));
    forged[1]!.actor = { id: 'mallory', roles: ['hub-admin'] };
    forged[1]!.hash = hashEvent(forged[1]!);
    expect(verifyAudit(forged)).toMatchObject({ ok: false, index: 2, problem: 'broken-chain' });
  });

  it('detects a truncated tail against a known head', () => {
    const head = events[events.length - 1]!.hash;
    expect(verifyAudit(events, { expectedHead: head }).ok).toBe(true);
    expect(verifyAudit(events.slice(0, -1), { expectedHead: head })).toMatchObject({
      ok: false,
      problem: 'broken-chain',
    });
  });

  it('detects events from another stream and malformed data', () => {
    const mixed = [events[0]!, { ...events[1]!, streamId: 'other' }];
    expect(verifyAudit(mixed)).toMatchObject({ ok: false, index: 1, problem: 'wrong-stream' });
    const badData = structuredClone(events);
    badData[2]!.data = { stageId: 'brand', decision: 'maybe' };
    expect(verifyAudit(badData)).toMatchObject({ ok: false, index: 2, problem: 'invalid' });
  });

  it('never throws on arbitrary input, and flags any single-field change', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const report = verifyAudit([junk]);
        expect(typeof report.ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
    expect(verifyAudit(null as unknown as unknown[])).toMatchObject({ ok: false, problem: 'invalid' });
    fc.assert(
      fc.property(
        fc.nat(events.length - 1),
        fc.constantFrom('at', 'type', 'idempotencyKey', 'seq'),
        fc.string({ minLength: 1 }),
        (index, key, value) => {
          const tampered = structuredClone(events) as unknown as Record<string, unknown>[];
          const target = tampered[index]!;
          const original = target[key];
          target[key] = key === 'seq' ? Number(original) + 1 : key === 'type' ? 'comment.added' : value;
          fc.pre(JSON.stringify(target[key]) !== JSON.stringify(original));
          const report = verifyAudit(tampered);
          expect(report.ok).toBe(false);
          if (!report.ok) expect(report.index).toBe(index);
        },
      ),
      { numRuns: 200 },
    );
  });
});
