import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fsError } from './fs-error.js';

/** Writes a file atomically (temp file + rename), so a failure never leaves half a file behind. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw fsError(e, 'write', file);
  }
}

/**
 * Writes several folders of outputs, each built in a sibling staging folder; they are swapped in
 * only when every file of every folder was written, so a failed run leaves the previous outputs
 * (or nothing), never a partial set. Folders not named are left alone.
 */
export async function writeFoldersAtomic(folders: Map<string, [string, string | Uint8Array][]>): Promise<string[]> {
  const staged: [string, string][] = [];
  const written: string[] = [];
  let current = '';
  try {
    for (const [dir, files] of folders) {
      current = dir;
      const staging = `${dir}.${process.pid}.staging`;
      await rm(staging, { recursive: true, force: true });
      staged.push([staging, dir]);
      for (const [relative, data] of files) {
        const target = path.join(staging, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, data);
        written.push(path.join(dir, relative));
      }
    }
    for (const [staging, dir] of staged) {
      current = dir;
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
    return written;
  } catch (e) {
    for (const [staging] of staged) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw fsError(e, 'write', current);
  }
}
