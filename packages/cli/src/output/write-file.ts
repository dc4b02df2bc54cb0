import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a file atomically (temp file + rename), so a failure never leaves half a file behind. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Builds a folder of outputs in a sibling staging folder and swaps it in only when every file
 * was written: a failed run leaves the previous outputs (or nothing), never a partial set.
 */
export async function writeFolderAtomic(dir: string, files: Iterable<[string, string | Uint8Array]>): Promise<string[]> {
  const staging = `${dir}.${process.pid}.staging`;
  await rm(staging, { recursive: true, force: true });
  const written: string[] = [];
  try {
    for (const [relative, data] of files) {
      const target = path.join(staging, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
      written.push(path.join(dir, relative));
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(staging, dir);
    return written;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}
