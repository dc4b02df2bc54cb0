import { libraryBuild } from '../../tsup.base.js';

// `shims` gives the CommonJS build an `import.meta.url`, which the mjml loader resolves from.
export default libraryBuild({ index: 'src/index.ts', fill: 'src/fill.ts' }, { shims: true });
