import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// These tests spawn the built binary, render with MJML and drive Chromium: allow for a busy CI machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 90_000 } }));
