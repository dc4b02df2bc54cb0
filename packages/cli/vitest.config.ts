import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// These tests spawn the built binary several times a test, render with MJML and drive Chromium: on a
// loaded 2-core machine one test can take minutes. The limits only catch hangs.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 600_000, hookTimeout: 600_000 } }));
