#!/usr/bin/env node
// The `hubspoke` command. This file is committed (the code is built into dist/) so that installing
// from a clone links the command without warnings before anything is built.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin.js')) throw error;
  process.stderr.write(
    'error: hubspoke is not built yet (hint: from the repository, run `pnpm hubspoke …`, which builds it first)\n',
  );
  process.exitCode = 70;
}
