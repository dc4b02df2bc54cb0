import path from 'node:path';
import { HubspokeError } from '@hubspoke/core';
import { createConnector, type RuntimeOptions } from '@hubspoke/map-connectors';
import { resolveConnectorConfig } from './config/load-config.js';
import type { Project } from './project.js';

/** Builds the named connector instance from the config, credentials read from the environment. */
export function connectorFromConfig(
  project: Project,
  name: string | undefined,
  env: Record<string, string | undefined>,
  runtime: RuntimeOptions,
) {
  const instance = name ?? project.config.defaultConnector;
  const entry = project.config.connectors[instance];
  if (entry === undefined) {
    if (instance === 'fs')
      return createConnector('fs', { outDir: project.path(path.join(project.config.outDir, 'export')) }, runtime);
    throw new HubspokeError(
      'E_NOT_FOUND',
      `connector "${instance}" is not in config.connectors (${Object.keys(project.config.connectors).join(', ') || 'none configured'})`,
    );
  }
  const config: Record<string, unknown> = resolveConnectorConfig(instance, entry.config, env);
  // The fs exporter's folder is relative to the config file, like every other path.
  if (entry.use === 'fs')
    config.outDir = project.path(
      typeof config.outDir === 'string' ? config.outDir : path.join(project.config.outDir, 'export'),
    );
  return createConnector(entry.use, config, { ...runtime, instance });
}
