import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` base62 characters from the CSPRNG (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62.charAt(byte % 62);
    }
  }
  return out;
}

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API tokens look like GitHub's: a recognisable prefix, 30 random base62 characters (178 bits), a CRC32 checksum. */
export const API_TOKEN_PREFIX = 'hsp_';
const TOKEN_BODY = 30;
const CHECKSUM = 6;
export const API_TOKEN_PATTERN = /^hsp_[0-9A-Za-z]{36}$/;

export function newApiToken(): string {
  const body = randomBase62(TOKEN_BODY);
  return `${API_TOKEN_PREFIX}${body}${base62(crc32(body), CHECKSUM)}`;
}

/** True when `token` has the shape and a matching checksum: typos and made-up tokens never reach the database. */
export function isWellFormedApiToken(token: string): boolean {
  if (!API_TOKEN_PATTERN.test(token)) return false;
  const body = token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + TOKEN_BODY);
  return token.slice(-CHECKSUM) === base62(crc32(body), CHECKSUM);
}

/** What a list of tokens shows instead of the token: `hsp_…Ab12`. */
export const tokenHint = (token: string): string => `${API_TOKEN_PREFIX}…${token.slice(-4)}`;
