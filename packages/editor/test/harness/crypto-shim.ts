// Until template-engine hashes with core's pure-JS SHA-256: `node:crypto`'s createHash for the test page.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`unsupported hash ${algorithm}`);
  const hash = sha256.create();
  const api = {
    update(data: string) {
      hash.update(utf8ToBytes(data));
      return api;
    },
    digest(encoding: string) {
      if (encoding !== 'hex') throw new Error(`unsupported encoding ${encoding}`);
      return bytesToHex(hash.digest());
    },
  };
  return api;
}
export default { createHash };
