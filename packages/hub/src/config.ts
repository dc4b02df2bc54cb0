import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  HubspokeError,
  parse,
  HubspokeConfigSchema,
  type HubspokeConfig,
  type HubspokeConfigInput,
} from '@hubspoke/core';
import { readJson } from './io/files.js';

export const CONFIG_FILES = [
  'hubspoke.config.ts',
  'hubspoke.config.mts',
  'hubspoke.config.js',
  'hubspoke.config.mjs',
  'hubspoke.config.json',
] as const;

/** Typed helper for `hubspoke.config.ts`. */
export function defineConfig(config: HubspokeConfigInput): HubspokeConfigInput {
  return config;
}

export interface LoadedConfig {
  config: HubspokeConfig;
  /** The config file. */
  file: string;
  /** Its folder: every path in the config is relative to it. */
  dir: string;
  resolve(relative: string): string;
}

/** The config file in `cwd` or the nearest folder above it. */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function importModule(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: true });
  try {
    const mod = await jiti.import<Record<string, unknown>>(file);
    return mod.default ?? mod.config ?? mod;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new HubspokeError('E_VALIDATION', `config: cannot load ${file}: ${message}`, { path: file, cause });
  }
}

/** Finds, loads (TS, JS or JSON) and validates the config. */
export async function loadConfig(options: { cwd: string; file?: string | undefined }): Promise<LoadedConfig> {
  const file = options.file === undefined ? findConfig(options.cwd) : path.resolve(options.cwd, options.file);
  if (file === undefined) {
    throw new HubspokeError('E_NOT_FOUND', `config: no ${CONFIG_FILES.join(', ')} in ${options.cwd} or above`, {
      hint: 'run `hubspoke init` to scaffold a hub, or pass --config <file>',
    });
  }
  if (!existsSync(file)) throw new HubspokeError('E_NOT_FOUND', `config: no such file ${file}`, { path: file });
  const raw = file.endsWith('.json') ? await readJson(file, 'config') : await importModule(file);
  const config = parse(HubspokeConfigSchema, raw, 'config');
  const dir = path.dirname(file);
  return { config, file, dir, resolve: (relative) => path.resolve(dir, relative) };
}

const PLACEHOLDER = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

/**
 * Replaces `${ENV_NAME}` in a config value with the environment's value. A missing variable is
 * `E_AUTH` naming the config path and the variable, never a value: these hold secrets.
 */
export function expandEnv(value: string, at: string, env: Record<string, string | undefined>): string {
  return value.replace(PLACEHOLDER, (_m, variable: string) => {
    const found = env[variable];
    if (found === undefined || found === '') {
      throw new HubspokeError('E_AUTH', `${at}: environment variable ${variable} is not set`, {
        path: at,
        hint: `export ${variable}=… (the value is a secret; it is never printed)`,
      });
    }
    return found;
  });
}

/** A connector's config with every `${ENV_NAME}` filled in from the environment. */
export function resolveConnectorConfig(
  name: string,
  config: Record<string, string | number | boolean>,
  env: Record<string, string | undefined>,
): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === 'string' ? expandEnv(value, `connectors.${name}.config.${key}`, env) : value,
    ]),
  );
}
