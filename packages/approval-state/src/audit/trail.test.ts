import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { hybrid, isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createApprovals, type AuditOptions } from '../approvals.js';
import { directory, fullSubmit, people, standardWorkflow } from '../__fixtures__/harness.js';
import { counter } from '../__fixtures__/store-conformance.js';
import { MemoryEventStore } from '../store/memory-store.js';
import type { StoredEvent } from '../store/event-store.js';
import { CheckpointKeys, FileCheckpointStore, MemoryCheckpointStore, type Checkpoint } from './checkpoints.js';
import { AuditKeyring, generateAuditKeys } from './keys.js';
import { TrailVerifier, eventMac, verifyTrail } from './trail.js';

const k1 = generateAuditKeys('k1');
const k2 = generateAuditKeys('k2');
const other = generateAuditKeys('k1');

async function run(audit: AuditOptions, store = new MemoryEventStore(), id = 'sub-1') {
  const approvals = createApprovals({
    store,
    workflows: [standardWorkflow],
    operatingModel: hybrid,
    directory,
    ids: counter(id),
    audit,
  });
  await approvals.submit(people.lena, { ...fullSubmit, submissionId: id });
  await approvals.decide(people.bea, id, { decision: 'approved' });
  await approvals.comment(people.lee, id, { text: 'Footnote 2 needs the date' });
  return { approvals, store, id };
}

describe('audit keys', () => {
  it('reads the text form, oldest first, the last sealing', () => {
    const ring = AuditKeyring.from(`${k1.macKey}, ${k2.macKey}`);
    expect(ring.ids).toEqual(['k1', 'k2']);
    expect(ring.current).toBe('k2');
    expect(ring.lookup('k1')?.rank).toBe(0);
  });

  it('refuses short, malformed or duplicate keys without ever quoting a secret', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 6, maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
        fc.constantFrom('', '!', '%'),
        fc.constantFrom('text', 'list'),
        (base64, junk, form) => {
          const secret = base64 + junk;
          const input = form === 'text' ? `k:${secret}` : [{ id: 'k', secret }];
          let error: unknown;
          try {
            AuditKeyring.from(input);
          } catch (e) {
            error = e;
          }
          if (error === undefined) return; // 32+ bytes of base64: a valid key
          expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
          const shown = `${(error as Error).message} ${JSON.stringify(error)} ${inspect(error)}`;
          for (let i = 0; i + 8 <= secret.length; i++) expect(shown).not.toContain(secret.slice(i, i + 8));
        },
      ),
      { numRuns: 300 },
    );
    expect(() => AuditKeyring.from('k1:c2hvcnQ=')).toThrow(/at least 32 random bytes, got 5/);
    expect(() => AuditKeyring.from(`${k1.macKey},${other.macKey}`)).toThrow(/used twice/);
    expect(() => AuditKeyring.from('')).toThrow(/at least one key/);
    expect(() => AuditKeyring.from(null as never)).toThrow(/expected a list/);
    expect(() => AuditKeyring.from([{ id: 'bad id', secret: 'x' }])).toThrow(/audit\.keys\[0\]\.id/);
  });

  it('never shows key material when logged', () => {
    const ring = AuditKeyring.from(k1.macKey);
    const secret = k1.macKey.slice(3);
    expect(JSON.stringify(ring)).not.toContain(secret.slice(0, 8));
    expect(inspect(ring)).toBe('AuditKeyring { ids: [k1], current: k1 }');
  });

  it('refuses a signing key that is not Ed25519, without quoting it', () => {
    const error: unknown = (() => {
      try {
        return new CheckpointKeys({ signingKey: `-----BEGIN PRIVATE KEY-----\nnotakey\n-----END PRIVATE KEY-----` });
      } catch (e) {
        return e;
      }
    })();
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect(inspect(error)).not.toContain('notakey');
    expect(() => new CheckpointKeys({})).toThrow(/signingKey .* or publicKeys/);
  });
});

describe('verifyTrail', () => {
  const checkpoints = new MemoryCheckpointStore();
  const audit: AuditOptions = { keys: k1.macKey, checkpoints, signingKey: k1.signingKey };
  const options = { keys: k1.macKey, publicKeys: [k1.publicKey] };

  it('accepts an untouched history with a checkpoint per command', async () => {
    const { approvals, store, id } = await run(audit);
    const trail = await approvals.exportAudit(people.ada, id);
    expect(trail.checkpoints).toHaveLength(3);
    expect(verifyTrail(trail, options)).toMatchObject({ ok: true, count: 6, keyed: true, unanchored: 0 });
    expect(await approvals.verify(people.ada, id)).toEqual(verifyTrail(trail, options));
    expect((await store.readStored(id)).every((r) => r.mac?.startsWith('k1:'))).toBe(true);
  });

  it('flags any change to any stored byte at the event that holds it, and never throws', async () => {
    const { approvals, id } = await run({ keys: k1.macKey });
    const { records } = await approvals.exportAudit(people.ada, id);
    fc.assert(
      fc.property(fc.nat(records.length - 1), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (index, at, code) => {
        const tampered = structuredClone(records) as StoredEvent[];
        const record = tampered[index]!;
        const position = at % record.body.length;
        const replacement = String.fromCharCode(code);
        fc.pre(record.body[position] !== replacement);
        record.body = record.body.slice(0, position) + replacement + record.body.slice(position + 1);
        expect(verifyTrail({ streamId: id, records: tampered }, { keys: k1.macKey })).toMatchObject({
          ok: false,
          seq: index + 1,
          problem: 'mac-mismatch',
        });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.array(fc.anything(), { maxLength: 5 }), (junk, cps) => {
        const report = verifyTrail(
          { streamId: id, records: [...records, junk] as never, checkpoints: cps as never },
          options,
        );
        expect(report.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    expect(verifyTrail(null as never, options)).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('gives the same report whether the history is checked whole or in pages of any size', async () => {
    const { approvals, id } = await run(audit, new MemoryEventStore(), 'sub-paged');
    await approvals.decide(people.lee, id, { decision: 'approved' });
    const trail = await approvals.exportAudit(people.ada, id);
    const ring = AuditKeyring.from(k1.macKey);
    const keysForCheckpoints = new CheckpointKeys({ publicKeys: [k1.publicKey] });
    const variants = [
      trail,
      { ...trail, records: trail.records.slice(0, -2) },
      { ...trail, records: trail.records.map((r, i) => (i === 4 ? { ...r, body: r.body.replace('lee', 'lex') } : r)) },
      { ...trail, records: trail.records.filter((r) => r.seq !== 3) },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...variants),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 }),
        (t, sizes) => {
          const verifier = new TrailVerifier(ring, keysForCheckpoints, id, t.checkpoints ?? []);
          let at = 0;
          for (const size of [...sizes, t.records.length]) {
            verifier.push(t.records.slice(at, at + size));
            at += size;
          }
          expect(verifier.finish()).toEqual(verifyTrail(t, options));
        },
      ),
    );
    expect(verifyTrail(variants[1]!, options)).toMatchObject({ ok: false, problem: 'truncated', seq: 8 });
    expect(verifyTrail(variants[2]!, options)).toMatchObject({ ok: false, problem: 'mac-mismatch', seq: 5 });
    expect(verifyTrail(variants[3]!, options)).toMatchObject({ ok: false, problem: 'missing', seq: 3 });
  });

  it('records key rotation in the chain: each event names its key, and a retired key cannot extend it', async () => {
    const store = new MemoryEventStore();
    const { id } = await run({ keys: k1.macKey }, store);
    const rotated = createApprovals({
      store,
      workflows: [standardWorkflow],
      operatingModel: hybrid,
      directory,
      ids: counter('r'),
      audit: { keys: `${k1.macKey},${k2.macKey}` },
    });
    await rotated.decide(people.lee, id, { decision: 'approved' });
    const records = await store.readStored(id);
    expect(records.map((r) => r.mac?.split(':')[0])).toEqual(['k1', 'k1', 'k1', 'k1', 'k1', 'k1', 'k2', 'k2', 'k2']);
    expect(await rotated.verify(people.ada, id)).toMatchObject({ ok: true, count: 9 });
    // The old keyring alone does not know k2.
    expect(verifyTrail({ streamId: id, records }, { keys: k1.macKey })).toMatchObject({
      ok: false,
      seq: 7,
      problem: 'unknown-key',
    });
    // Someone holding only the retired k1 appends a forged event after the rotation.
    const forged = JSON.parse(records[8]!.body) as { seq: number; id: string };
    forged.seq = 10;
    forged.id = 'forged';
    const body = JSON.stringify(forged);
    const ring = AuditKeyring.from(`${k1.macKey},${k2.macKey}`);
    const mac = eventMac(ring, 'k1', id, 10, records[8]!.mac!, body);
    expect(verifyTrail({ streamId: id, records: [...records, { seq: 10, body, mac }] }, { keys: ring })).toMatchObject({
      ok: false,
      seq: 10,
      problem: 'key-regression',
    });
  });

  it('names a forged checkpoint, and falls back to the latest genuine one', async () => {
    const { approvals, id } = await run(audit, new MemoryEventStore(), 'sub-forged');
    const trail = await approvals.exportAudit(people.ada, id);
    const latest = trail.checkpoints!.find((c) => c.seq === 6)!;
    const forged: Checkpoint = { ...latest, seq: 9, sig: latest.sig };
    const report = verifyTrail({ ...trail, checkpoints: [...trail.checkpoints!, forged] }, options);
    expect(report).toMatchObject({ ok: false, problem: 'checkpoint-invalid', seq: 9 });
    if (!report.ok) expect(report.message).toMatch(/signature does not verify/);
    // A checkpoint signed by a key that is not trusted does not count either.
    const stranger = new CheckpointKeys({ signingKey: other.signingKey }).sign({
      streamId: id,
      seq: 9,
      eventId: 'x',
      hash: latest.hash,
      mac: latest.mac,
      at: latest.at,
    });
    expect(verifyTrail({ ...trail, checkpoints: [stranger] }, options)).toMatchObject({
      ok: false,
      problem: 'checkpoint-invalid',
    });
    // Without trusted public keys, checkpoints are not consulted at all.
    expect(verifyTrail(trail, { keys: k1.macKey })).toMatchObject({ ok: true, unanchored: 6 });
  });

  it('a checkpoint that cannot be published leaves the command stored and the tail reported as unanchored', async () => {
    const failures: unknown[] = [];
    const broken = {
      publish: () => Promise.reject(new Error('bucket unreachable')),
      latest: () => Promise.resolve(undefined),
      list: () => Promise.resolve([]),
    };
    const { approvals, id } = await run({
      keys: k1.macKey,
      checkpoints: broken,
      signingKey: k1.signingKey,
      onCheckpointError: (e) => failures.push(e),
    });
    expect(failures).toHaveLength(3);
    expect(await approvals.verify(people.ada, id)).toMatchObject({ ok: true, unanchored: 6 });
  });

  it('refuses a malformed audit option', () => {
    const make = (audit: unknown) =>
      createApprovals({
        store: new MemoryEventStore(),
        workflows: [standardWorkflow],
        operatingModel: hybrid,
        audit: audit as AuditOptions,
      });
    expect(() => make(null)).toThrow(/Invalid audit/);
    expect(() => make({ keys: 'k1:short' })).toThrow(/audit\.keys\[0\]\.secret/);
    expect(() => make({ keys: k1.macKey, checkpoints: {} })).toThrow(/audit\.checkpoints/);
    expect(() => make({ keys: k1.macKey, checkpoints: new MemoryCheckpointStore() })).toThrow(/signingKey/);
  });
});

describe('FileCheckpointStore', () => {
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });
  const folder = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hubspoke-cp-'));
    folders.push(dir);
    return dir;
  };
  const signer = new CheckpointKeys({ signingKey: k1.signingKey });
  const checkpoint = (streamId: string, seq: number) =>
    signer.sign({
      streamId,
      seq,
      eventId: `e${seq}`,
      hash: 'a'.repeat(64),
      mac: `k1:${'b'.repeat(64)}`,
      at: '2026-03-02T09:00:00.000Z',
    });

  it('appends, finds the latest (also when appends arrive out of order) and lists', async () => {
    const store = new FileCheckpointStore(join(await folder(), 'nested', 'checkpoints'));
    expect(await store.latest('s')).toBeUndefined();
    expect(await store.list('s')).toEqual([]);
    for (const seq of [1, 3, 2]) await store.publish(checkpoint('s', seq));
    expect((await store.latest('s'))?.seq).toBe(3);
    expect((await store.list('s')).map((c) => c.seq)).toEqual([1, 3, 2]);
    expect(signer.check(await store.latest('s'), 's').ok).toBe(true);
  });

  it('keeps each stream in its own file named by a hash, whatever the id', async () => {
    const dir = await folder();
    const store = new FileCheckpointStore(dir);
    await store.publish(checkpoint('../../etc/passwd', 1));
    await store.publish(checkpoint('other', 5));
    expect((await store.latest('../../etc/passwd'))?.seq).toBe(1);
    expect((await store.latest('other'))?.seq).toBe(5);
  });

  it('skips a line torn by a crash, and reads only the tail of a long file for latest', async () => {
    const dir = await folder();
    const store = new FileCheckpointStore(dir);
    await store.publish(checkpoint('long', 1));
    const [file] = (await readdir(dir)).map((f) => join(dir, f));
    // 400 lines (about 160 KB, more than the tail `latest` reads), the last one cut short by a crash.
    const lines = Array.from({ length: 399 }, (_, i) => JSON.stringify(checkpoint('long', i + 2)));
    await writeFile(file!, `${await readFile(file!, 'utf8')}${lines.join('\n')}\n{"v":1,"streamId":"long","seq":9`);
    expect((await stat(file!)).size).toBeGreaterThan(128 * 1024);
    expect((await store.latest('long'))?.seq).toBe(400);
    expect(await store.list('long')).toHaveLength(400);
  });

  it('reports an unusable folder as E_UPSTREAM', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'file'), 'x');
    const store = new FileCheckpointStore(join(dir, 'file'));
    const error: unknown = await store.publish(checkpoint('s', 1)).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
  });
});
