export { run } from './public-functions.js';
export type { RunOptions, CommandContext, CommandSpec, GlobalOptions } from './program.js';
export { defineConfig, loadConfig, findConfig, resolveConnectorConfig, CONFIG_FILES } from '@hubspoke/hub';
export type { LoadedConfig } from '@hubspoke/hub';
export { EXIT } from './output/exit-codes.js';
export { exitCodeFor } from './public-functions.js';
export type { ExitCode } from './output/exit-codes.js';
