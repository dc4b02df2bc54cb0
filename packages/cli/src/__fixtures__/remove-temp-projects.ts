// Vitest setup file: the folders a test file made with tempProject go when the file is done, so a
// run does not leave hundreds of megabytes of folder databases in the temporary folder.
import { afterAll } from 'vitest';
import { removeTempProjects } from '../test-helpers.js';

afterAll(removeTempProjects);
