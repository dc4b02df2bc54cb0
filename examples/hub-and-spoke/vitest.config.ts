import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The story renders with MJML and runs every command: give it time.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 240_000 } }));
