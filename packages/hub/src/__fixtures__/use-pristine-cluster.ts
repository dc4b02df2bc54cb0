// Vitest setup file: this test file's fresh PGlite databases copy the run's pristine cluster
// (pristine-cluster.ts) instead of running initdb. The file is read only when one is opened.
import { openAsBlob } from 'node:fs';
import { inject } from 'vitest';
import { usePristineCluster } from '../database.js';

usePristineCluster(await openAsBlob(inject('pristinePGlite')));
