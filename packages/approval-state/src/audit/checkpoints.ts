import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HubspokeError, IsoDateTimeSchema, PositiveIntSchema, RefSchema, canonicalJson } from '@hubspoke/core';
import { z } from 'zod';
import { ed25519PrivateKey, ed25519PublicKey, publicKeyId, type Ed25519KeyInput } from './keys.js';

/**
 * A signed statement that a submission's history had `seq` events ending at `eventId` (with that
 * `hash` and `mac`) at time `at`. Published outside the database, so someone who can rewrite the
 * database cannot make it disagree with the chain unnoticed, nor forge a newer one.
 */
export const CheckpointSchema = z
  .object({
    v: z.literal(1),
    streamId: RefSchema,
    seq: PositiveIntSchema,
    eventId: RefSchema,
    /** The SHA-256 `hash` of the event at `seq`. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** The MAC of the event at `seq` (the head of the keyed chain). */
    mac: z.string().regex(/^[A-Za-z0-9._-]{1,64}:[0-9a-f]{64}$/),
    /** When it was signed (ISO 8601). */
    at: IsoDateTimeSchema,
    /** Which Ed25519 key signed it (see `publicKeyId`). */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    /** Ed25519 signature, base64url. */
    sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  })
  .strict();
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** Where checkpoints live: somewhere the approval database's users cannot rewrite (a folder, an object store with write-once retention). */
export interface CheckpointStore {
  /** Adds a checkpoint. Never changes or removes one. */
  publish(checkpoint: Checkpoint): Promise<void>;
  /** The checkpoint with the highest `seq` for the stream, as stored (the reader validates and checks the signature). */
  latest(streamId: string): Promise<Checkpoint | undefined>;
  /** Every checkpoint of the stream, as stored, in any order. */
  list(streamId: string): Promise<Checkpoint[]>;
}

const PAYLOAD_LABEL = 'hubspoke-audit-checkpoint/1\n';

function payload(fields: Omit<Checkpoint, 'sig'>): Buffer {
  return Buffer.from(PAYLOAD_LABEL + canonicalJson(fields));
}

/** The Ed25519 keys for checkpoints: one that signs (optional) and every public key accepted. */
export class CheckpointKeys {
  private readonly verifiers = new Map<string, KeyObject>();
  private readonly signer: { id: string; key: KeyObject } | undefined;

  constructor(options: {
    signingKey?: Ed25519KeyInput | undefined;
    publicKeys?: readonly Ed25519KeyInput[] | undefined;
  }) {
    if (options.signingKey !== undefined) {
      const key = ed25519PrivateKey(options.signingKey, 'audit.signingKey');
      const publicKey = ed25519PublicKey(key, 'audit.signingKey');
      this.signer = { id: publicKeyId(publicKey), key };
      this.verifiers.set(this.signer.id, publicKey);
    }
    const extra = options.publicKeys ?? [];
    if (!Array.isArray(extra))
      throw new HubspokeError('E_VALIDATION', 'Invalid audit.publicKeys: expected a list of Ed25519 public keys', {
        path: 'audit.publicKeys',
      });
    extra.forEach((input, i) => {
      const key = ed25519PublicKey(input, `audit.publicKeys[${i}]`);
      this.verifiers.set(publicKeyId(key), key);
    });
    if (this.verifiers.size === 0)
      throw new HubspokeError(
        'E_VALIDATION',
        'Invalid audit: checkpoints need a signingKey (to publish) or publicKeys (to verify)',
        { path: 'audit.signingKey' },
      );
  }

  get canSign(): boolean {
    return this.signer !== undefined;
  }

  /** Signs a checkpoint; `at` is an ISO time. */
  sign(fields: Omit<Checkpoint, 'v' | 'keyId' | 'sig'>): Checkpoint {
    if (this.signer === undefined)
      throw new HubspokeError('E_UNSUPPORTED', 'Cannot sign a checkpoint without audit.signingKey');
    const unsigned = { v: 1 as const, ...fields, keyId: this.signer.id };
    return { ...unsigned, sig: sign(null, payload(unsigned), this.signer.key).toString('base64url') };
  }

  /** Validates a stored checkpoint and its signature. */
  check(value: unknown, streamId: string): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
    const parsed = CheckpointSchema.safeParse(value);
    if (!parsed.success) return { ok: false, reason: 'it is malformed' };
    const checkpoint = parsed.data;
    if (checkpoint.streamId !== streamId) return { ok: false, reason: `it belongs to ${checkpoint.streamId}` };
    const key = this.verifiers.get(checkpoint.keyId);
    if (key === undefined) return { ok: false, reason: `it is signed by an unknown key ${checkpoint.keyId}` };
    const { sig, ...fields } = checkpoint;
    if (!verify(null, payload(fields), key, Buffer.from(sig, 'base64url')))
      return { ok: false, reason: 'its signature does not verify' };
    return { ok: true, checkpoint };
  }
}

/** Checkpoints in memory: for tests, and to collect an export. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly streams = new Map<string, Checkpoint[]>();

  publish(checkpoint: Checkpoint): Promise<void> {
    const list = this.streams.get(checkpoint.streamId) ?? [];
    list.push(structuredClone(checkpoint));
    this.streams.set(checkpoint.streamId, list);
    return Promise.resolve();
  }

  latest(streamId: string): Promise<Checkpoint | undefined> {
    return Promise.resolve(highest(this.streams.get(streamId) ?? []));
  }

  list(streamId: string): Promise<Checkpoint[]> {
    return Promise.resolve(structuredClone(this.streams.get(streamId) ?? []));
  }
}

function highest(list: readonly Checkpoint[]): Checkpoint | undefined {
  let best: Checkpoint | undefined;
  for (const c of list) if (best === undefined || c.seq > best.seq) best = c;
  return best === undefined ? undefined : structuredClone(best);
}

/** How much of a stream's file `latest` reads from the end: far more than a burst of concurrent appends. */
const TAIL_BYTES = 64 * 1024;

/**
 * Checkpoints in a folder the operator names (ideally on another machine or a write-once mount):
 * one JSON Lines file per submission, appended to and flushed to disk on every publish. Appends
 * from several processes interleave by line, so `latest` takes the highest `seq` near the end.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly directory: string) {
    if (typeof directory !== 'string' || directory === '')
      throw new HubspokeError('E_VALIDATION', 'Invalid directory: expected a folder path', { path: 'directory' });
  }

  /** The stream's file: named by a hash of its id, so no id can reach outside the folder. */
  private file(streamId: string): string {
    return join(this.directory, `${createHash('sha256').update(streamId).digest('hex').slice(0, 40)}.jsonl`);
  }

  async publish(checkpoint: Checkpoint): Promise<void> {
    try {
      await mkdir(this.directory, { recursive: true });
      const handle = await open(this.file(checkpoint.streamId), 'a');
      try {
        await handle.write(`${JSON.stringify(checkpoint)}\n`);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw fileError(error, 'publish a checkpoint');
    }
  }

  async latest(streamId: string): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      const handle = await open(this.file(streamId), 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, TAIL_BYTES);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        text = buffer.toString('utf8');
        // A partial first line (cut by the tail window) is dropped.
        if (length < size) text = text.slice(text.indexOf('\n') + 1);
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw fileError(error, 'read checkpoints');
    }
    return highest(parseLines(text, streamId));
  }

  async list(streamId: string): Promise<Checkpoint[]> {
    try {
      return parseLines(await readFile(this.file(streamId), 'utf8'), streamId);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw fileError(error, 'read checkpoints');
    }
  }
}

/** The lines that parse and name the stream; a torn or foreign line is skipped (the reader checks signatures). */
function parseLines(text: string, streamId: string): Checkpoint[] {
  const out: Checkpoint[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const value = JSON.parse(line) as Partial<Checkpoint> | null;
      if (value?.streamId === streamId && typeof value.seq === 'number') out.push(value as Checkpoint);
    } catch {
      // A line cut short by a crash mid-write.
    }
  }
  return out;
}

function fileError(error: unknown, operation: string): HubspokeError {
  const code = (error as { code?: unknown } | null)?.code;
  return new HubspokeError(
    'E_UPSTREAM',
    `Could not ${operation} in the checkpoint folder${typeof code === 'string' ? ` (${code})` : ''}`,
    { cause: error, details: { operation, ...(typeof code === 'string' ? { errno: code } : {}) } },
  );
}
