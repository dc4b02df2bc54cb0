export { run } from './program.js';
export type { RunOptions, CommandContext, CommandSpec, GlobalOptions } from './program.js';
export { defineConfig, loadConfig, findConfig, resolveConnectorConfig, CONFIG_FILES } from './config/load-config.js';
export type { LoadedConfig } from './config/load-config.js';
export { EXIT, exitCodeFor } from './output/exit-codes.js';
export type { ExitCode } from './output/exit-codes.js';
