import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { HubspokeError } from '@hubspoke/core';
import type { IncludeReader } from './includes.js';

/** Files larger than this are refused: an include is a template part, not a data dump. */
const MAX_INCLUDE_BYTES = 2_000_000;

/**
 * Reads `mj-include` files from a hub folder on disk and nowhere else: the path is resolved
 * inside `root`, and the real path (symbolic links followed) must still lie inside the folder's
 * real path. Throws `E_NOT_FOUND` when `root` is not a folder.
 */
export function folderIncludes(root: string): IncludeReader {
  let base: string;
  try {
    base = realpathSync(root);
    if (!statSync(base).isDirectory()) throw new Error('not a folder');
  } catch (cause) {
    throw new HubspokeError('E_NOT_FOUND', `includes root: ${root} is not a folder`, { path: 'root', cause });
  }
  const inside = (target: string) => {
    const rel = relative(base, target);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  return {
    read(path) {
      const target = resolve(base, ...path.split('/'));
      if (!inside(target)) throw new Error(`${path} is outside the hub folder`);
      let real: string;
      try {
        real = realpathSync(target);
      } catch {
        return undefined;
      }
      if (!inside(real)) throw new Error(`${path} links outside the hub folder`);
      const stat = statSync(real);
      if (!stat.isFile()) return undefined;
      if (stat.size > MAX_INCLUDE_BYTES) throw new Error(`${path} is larger than ${MAX_INCLUDE_BYTES} bytes`);
      return readFileSync(real, 'utf8');
    },
  };
}
