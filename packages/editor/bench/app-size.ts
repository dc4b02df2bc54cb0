import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

/**
 * Gzip sizes (level 9, bytes) of a Vite build of the web app made with `build.manifest: true`:
 *
 *   - `app`: every JS and CSS file except the two below: the entry, its static imports and CSS,
 *     and the worker (Vite lists it as an asset of the chunk that starts it);
 *   - `richText`: the `rich-text` chunk (Tiptap + ProseMirror), which the budget does not count;
 *   - `lazy`: chunks reached only through a dynamic `import()`, never through a static import
 *     from an entry: the browser fetches them only when that code runs.
 *
 * A file the manifest does not explain counts as `app`, so the figure can only err high.
 */
export function appSizes(outDir: string): { app: number; richText: number; lazy: number } {
  const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const loaded = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (chunk === undefined || loaded.has(chunk.file)) return;
    loaded.add(chunk.file);
    for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) loaded.add(file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry === true) visit(key);
  const lazy = new Set(
    Object.values(manifest)
      .map((chunk) => chunk.file)
      .filter((file) => !loaded.has(file)),
  );
  const sizes = { app: 0, richText: 0, lazy: 0 };
  for (const name of readdirSync(path.join(outDir, 'assets'))) {
    if (!/\.(js|css)$/.test(name)) continue;
    const file = `assets/${name}`;
    const size = gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length;
    if (name.startsWith('rich-text')) sizes.richText += size;
    else if (lazy.has(file)) sizes.lazy += size;
    else sizes.app += size;
  }
  return sizes;
}
