import path from 'node:path';
import { libraryBuild } from '../../tsup.base.js';

/**
 * `@hubspoke/brand-rules/browser`: the same API built for pages, with the ReDoS guard's
 * analysers swapped for `regex-guard.browser.ts` (see there). Built after the main build, into
 * its own folder, so neither build cleans the other's files.
 */
export default libraryBuild(
  { index: 'src/index.ts' },
  {
    outDir: 'dist/browser',
    platform: 'browser',
    target: 'es2022',
    esbuildPlugins: [
      {
        name: 'browser-regex-guard',
        setup(build) {
          build.onResolve({ filter: /\/regex-guard\.js$/ }, (args) => ({
            path: path.join(args.resolveDir, args.path.replace(/regex-guard\.js$/, 'regex-guard.browser.ts')),
          }));
        },
      },
    ],
  },
);
