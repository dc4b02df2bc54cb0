import { libraryBuild } from '../../tsup.base.js';

// The components and data sources (ESM/CJS for bundlers); the web app is built by Vite (app/).
export default libraryBuild(
  { index: 'src/index.ts', assets: 'src/assets.ts', 'dark-mode': 'src/ui/dark-mode.ts' },
  { target: 'es2022', clean: false },
);
