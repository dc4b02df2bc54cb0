import { libraryBuild } from '../../tsup.base.js';

export default libraryBuild({
  index: 'src/index.ts',
  marketo: 'src/connectors/marketo/index.ts',
  eloqua: 'src/connectors/eloqua/index.ts',
  sfmc: 'src/connectors/sfmc/index.ts',
  hubspot: 'src/connectors/hubspot/index.ts',
  braze: 'src/connectors/braze/index.ts',
  asana: 'src/connectors/asana/index.ts',
  monday: 'src/connectors/monday/index.ts',
  slack: 'src/connectors/slack/index.ts',
  teams: 'src/connectors/teams/index.ts',
  smtp: 'src/connectors/smtp/index.ts',
  fs: 'src/connectors/fs/index.ts',
  testkit: 'src/testkit/index.ts',
  'testkit-vitest': 'src/testkit/vitest.ts',
});
