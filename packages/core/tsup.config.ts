import { libraryBuild } from '../../tsup.base.js';
import { pureModuleCalls } from './scripts/pure-calls.js';

export default libraryBuild(
  { index: 'src/index.ts', testkit: 'src/testkit/index.ts' },
  { esbuildPlugins: [pureModuleCalls(/[\\/]src[\\/].*\.ts$/)] },
);
