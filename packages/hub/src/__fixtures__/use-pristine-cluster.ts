// Vitest setup file: this test file's fresh PGlite databases copy the run's pristine cluster
// (approval-state's __fixtures__/pristine-cluster.ts) instead of running initdb. The file is read only when one is opened.
import { openAsBlob } from 'node:fs';
import { inject } from 'vitest';
import { usePristineCluster } from '../database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pristinePGlite: string;
  }
}

usePristineCluster(await openAsBlob(inject('pristinePGlite')));
