import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  KeyObject,
} from 'node:crypto';
import { HubspokeError } from '@hubspoke/core';

/** One MAC key: an id recorded with every event it seals, and at least 32 random bytes (base64 or bytes). */
export interface AuditKeyInput {
  id: string;
  secret: string | Uint8Array;
}

/**
 * The MAC keys, oldest first: the last one seals new events, the others still verify what they
 * sealed. Either a list or the text form `id:base64secret,id:base64secret` (what an environment
 * variable or a secret store holds).
 */
export type AuditKeysInput = string | readonly AuditKeyInput[];

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const MIN_SECRET_BYTES = 32;

/** The parsed MAC keys. Holds key material: never log it, never store it in the database. */
export class AuditKeyring {
  private readonly byId = new Map<string, { rank: number; key: KeyObject }>();
  /** Key ids, oldest first. */
  readonly ids: readonly string[];
  /** The id of the key that seals new events (the last one). */
  readonly current: string;

  private constructor(keys: readonly { id: string; key: KeyObject }[]) {
    const given: unknown = keys;
    if (!Array.isArray(given) || given.some((k: unknown) => typeof k !== 'object' || k === null))
      throw new HubspokeError('E_VALIDATION', 'Invalid keys: use AuditKeyring.from(keys)', { path: 'keys' });
    keys.forEach(({ id, key }, rank) => this.byId.set(id, { rank, key }));
    this.ids = keys.map((k) => k.id);
    this.current = this.ids[this.ids.length - 1] ?? '';
  }

  /** Validates keys given as a list or as `id:base64,id:base64`; the error never quotes a secret. */
  static from(input: AuditKeysInput | AuditKeyring): AuditKeyring {
    if (input instanceof AuditKeyring) return input;
    const entries: unknown[] = typeof input === 'string' ? parseKeyText(input) : Array.isArray(input) ? input : [];
    if (typeof input !== 'string' && !Array.isArray(input))
      throw invalid('audit.keys', 'expected a list of { id, secret } or the text "id:base64secret,…"');
    if (entries.length === 0) throw invalid('audit.keys', 'expected at least one key');
    if (entries.length > 100) throw invalid('audit.keys', 'expected at most 100 keys');
    const seen = new Set<string>();
    const keys = entries.map((entry, i) => {
      const path = `audit.keys[${i}]`;
      if (entry === null || typeof entry !== 'object') throw invalid(path, 'expected { id, secret }');
      const { id, secret } = entry as { id?: unknown; secret?: unknown };
      if (typeof id !== 'string' || !KEY_ID.test(id))
        throw invalid(`${path}.id`, 'expected 1–64 letters, digits, ".", "_" or "-"');
      if (seen.has(id)) throw invalid(`${path}.id`, `the id ${id} is used twice`);
      seen.add(id);
      return { id, key: createSecretKey(secretBytes(secret, `${path}.secret`)) };
    });
    return new AuditKeyring(keys);
  }

  /** The key with this id and its age rank (0 = oldest), or undefined. */
  lookup(id: string): { rank: number; key: KeyObject } | undefined {
    return this.byId.get(id);
  }

  /** Never reveals key material when logged or serialised. */
  toJSON(): { ids: readonly string[]; current: string } {
    return { ids: this.ids, current: this.current };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AuditKeyring { ids: [${this.ids.join(', ')}], current: ${this.current} }`;
  }
}

function parseKeyText(text: string): AuditKeyInput[] {
  return text
    .split(/[\s,]+/)
    .filter((part) => part !== '')
    .map((part, i) => {
      const colon = part.indexOf(':');
      if (colon <= 0) throw invalid(`audit.keys[${i}]`, 'expected "id:base64secret"');
      return { id: part.slice(0, colon), secret: part.slice(colon + 1) };
    });
}

function secretBytes(secret: unknown, path: string): Buffer {
  let bytes: Buffer;
  if (secret instanceof Uint8Array) bytes = Buffer.from(secret);
  else if (typeof secret === 'string' && secret.length <= 4096 && BASE64.test(secret))
    bytes = Buffer.from(secret, 'base64');
  else throw invalid(path, 'expected base64 text or bytes');
  if (bytes.length < MIN_SECRET_BYTES)
    throw invalid(path, `expected at least ${MIN_SECRET_BYTES} random bytes, got ${bytes.length}`);
  return bytes;
}

function invalid(path: string, message: string): HubspokeError {
  return new HubspokeError('E_VALIDATION', `Invalid ${path}: ${message}`, { path });
}

/** An Ed25519 key given as PEM text or a KeyObject. */
export type Ed25519KeyInput = string | KeyObject;

/** The id of an Ed25519 public key: the first 16 hex digits of SHA-256 over its SPKI DER form. */
export function publicKeyId(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Reads an Ed25519 private key (PEM or KeyObject); `E_VALIDATION` naming `path` otherwise, never quoting the key. */
export function ed25519PrivateKey(input: unknown, path: string): KeyObject {
  const key = readKey(input, createPrivateKey);
  if (key?.type === 'private' && key.asymmetricKeyType === 'ed25519') return key;
  throw invalid(path, 'expected an Ed25519 private key (PEM text or KeyObject)');
}

/** Reads an Ed25519 public key (PEM or KeyObject; a private key gives its public half). */
export function ed25519PublicKey(input: unknown, path: string): KeyObject {
  const key = readKey(input, createPublicKey);
  if (key?.asymmetricKeyType === 'ed25519') return key.type === 'private' ? createPublicKey(key) : key;
  throw invalid(path, 'expected an Ed25519 public key (PEM text or KeyObject)');
}

function readKey(input: unknown, fromPem: (pem: string) => KeyObject): KeyObject | undefined {
  if (input instanceof KeyObject) return input;
  if (typeof input !== 'string' || input.length > 16_384) return undefined;
  try {
    return fromPem(input);
  } catch {
    return undefined; // reported by the caller without echoing the key
  }
}

/**
 * Fresh keys for a new hub: a MAC key in the text form (`id:base64`, for the secret store or
 * `HUBSPOKE_AUDIT_KEYS`) and an Ed25519 key pair for checkpoints (PEM).
 */
export function generateAuditKeys(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): {
  macKey: string;
  signingKey: string;
  publicKey: string;
} {
  if (!KEY_ID.test(id)) throw invalid('id', 'expected 1–64 letters, digits, ".", "_" or "-"');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    macKey: `${id}:${randomBytes(32).toString('base64')}`,
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
