// Vitest setup file: this test file's fresh PGlite databases (opened through @hubspoke/hub) copy
// the run's pristine cluster (approval-state's __fixtures__/pristine-cluster.ts) instead of running initdb.
import { openAsBlob } from 'node:fs';
import { usePristineCluster } from '@hubspoke/hub';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    pristinePGlite: string;
  }
}

usePristineCluster(await openAsBlob(inject('pristinePGlite')));
