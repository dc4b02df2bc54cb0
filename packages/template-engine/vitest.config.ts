import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The test files share their worker's modules (no isolation): each file would otherwise import mjml,
// juice and the parsers again, which took longer than most files' tests. No test mocks a module or
// changes global state; the caches the sources keep are keyed by content, so sharing them changes no result.
export default mergeConfig(shared, defineConfig({ test: { isolate: false } }));
