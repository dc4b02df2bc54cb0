import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Prints, after each run, how many requests every vendor contract checked (test/contract-summary.ts).
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ['./test/contract-summary.ts'] } }));
