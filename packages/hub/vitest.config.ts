import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Renders with MJML and opens PGlite databases: allow for a busy machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000 } }));
