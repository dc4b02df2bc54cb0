import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findingLocator, writeFoldersAtomic, type formatLint, type Hub, type LintedDraft } from '@hubspoke/hub';

type Result = Extract<Parameters<typeof formatLint>[1], { diagnostics: unknown }>;

/** The Git work tree that holds `dir` (SARIF paths are relative to the repository), else `dir` itself. */
export function repositoryRoot(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return path.resolve(dir);
  }
}

/** What the formatters need of each linted draft: the draft named, and for SARIF its findings placed in real files. */
export async function lintResults(
  hub: Hub,
  linted: readonly LintedDraft[],
  sarif: boolean,
): Promise<{ results: Result[]; written: string[] }> {
  const root = repositoryRoot(hub.dir);
  const uri = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const outDir = path.join(hub.dir, (await hub.settings()).outDir, 'lint');
  const folders = new Map<string, [string, string][]>();
  const results: Result[] = [];
  for (const { check, name, file } of linted) {
    const result: Result = {
      diagnostics: check.diagnostics,
      suppressed: check.lint.suppressed,
      baselined: check.lint.baselined,
      failed: check.failed,
      minLevel: check.minLevel,
      sourceText: check.lint.sourceText,
      draft: { id: check.draft.id, file: name },
    };
    if (!sarif) {
      results.push(result);
      continue;
    }
    // Findings in the output point into the rendered files written beside the other renders.
    const all = [...check.diagnostics, ...check.lint.suppressed.map((s) => s.diagnostic)];
    const output = all.some((d) => d.location.source === 'html' || d.location.source === 'text');
    const folder = path.join(outDir, check.draft.id);
    if (output)
      folders.set(
        folder,
        check.rendered.flatMap((r): [string, string][] => [
          [path.join(r.locale, 'preview.html'), r.html],
          [path.join(r.locale, 'preview.txt'), r.text],
        ]),
      );
    const text = file === undefined ? undefined : await readFile(file, 'utf8');
    const locate = findingLocator(check.draft, {
      ...(file === undefined || text === undefined ? {} : { draft: { uri: uri(file), text } }),
      ...(output
        ? {
            rendered: (locale, source) =>
              uri(path.join(folder, locale, `preview.${source === 'html' ? 'html' : 'txt'}`)),
          }
        : {}),
    });
    results.push({ ...result, locate });
  }
  const written = folders.size === 0 ? [] : await writeFoldersAtomic(folders);
  return { results, written: written.length === 0 ? [] : [path.relative(hub.dir, outDir) || outDir] };
}
