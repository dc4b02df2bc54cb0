import path from 'node:path';
import { HubspokeError } from '@hubspoke/core';
import { createConnector, type HubspokeConnector, type RuntimeOptions } from '@hubspoke/map-connectors';
import { resolveConnectorConfig } from './config.js';
import type { Hub } from './hub.js';

/** A connector instance with the name it has in the hub's settings. */
export type HubConnector = HubspokeConnector;

/**
 * Builds a connector instance the hub's settings name (default: `defaultConnector`), credentials
 * read from the hub's environment (`${NAME}`). `fs` works without an entry: it exports to
 * `<outDir>/export` in the hub's folder.
 */
export async function connectorOf(
  hub: Hub,
  name: string | undefined,
  runtime: RuntimeOptions = {},
): Promise<HubConnector> {
  const settings = await hub.settings();
  const instance = name ?? settings.defaultConnector;
  const entry = settings.connectors[instance];
  const inHub = (relative: string) => path.resolve(hub.dir, relative);
  if (entry === undefined) {
    if (instance === 'fs')
      return createConnector('fs', { outDir: inHub(path.join(settings.outDir, 'export')) }, { ...runtime, instance });
    const known = Object.keys(settings.connectors);
    throw new HubspokeError(
      'E_NOT_FOUND',
      `connector "${instance}" is not in config.connectors (${known.join(', ') || 'none configured'})`,
      { path: 'connector', hint: known.length > 0 ? `known: ${known.join(', ')}` : 'add it to config.connectors' },
    );
  }
  const config: Record<string, unknown> = resolveConnectorConfig(instance, entry.config, hub.env);
  // The fs exporter's folder is relative to the hub, like every other path.
  if (entry.use === 'fs')
    config.outDir = inHub(typeof config.outDir === 'string' ? config.outDir : path.join(settings.outDir, 'export'));
  return createConnector(entry.use, config, { ...runtime, instance });
}
