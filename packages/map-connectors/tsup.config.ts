import { libraryBuild } from '../../tsup.base.js';

export default libraryBuild({
  index: 'src/index.ts',
  marketo: 'src/connectors/marketo/index.ts',
  fs: 'src/connectors/fs/index.ts',
  testkit: 'src/testkit/index.ts',
});
