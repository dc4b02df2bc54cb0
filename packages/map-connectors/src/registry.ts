import { HubspokeError } from '@hubspoke/core';
import { asana } from './connectors/asana/asana.js';
import { braze } from './connectors/braze/braze.js';
import { eloqua } from './connectors/eloqua/eloqua.js';
import { fs } from './connectors/fs/fs.js';
import { hubspot } from './connectors/hubspot/hubspot.js';
import { marketo } from './connectors/marketo/marketo.js';
import { monday } from './connectors/monday/monday.js';
import { sfmc } from './connectors/sfmc/sfmc.js';
import { slack } from './connectors/slack/slack.js';
import { smtp } from './connectors/smtp/smtp.js';
import { teams } from './connectors/teams/teams.js';
import type { ConnectorDefinition, HubspokeConnector, RuntimeOptions } from './sdk/define-connector.js';

/** Every built-in connector by id. */
export const builtInConnectors = {
  marketo,
  eloqua,
  sfmc,
  hubspot,
  braze,
  asana,
  monday,
  slack,
  teams,
  smtp,
  fs,
} as const satisfies Record<string, ConnectorDefinition>;

export type BuiltInConnectorId = keyof typeof builtInConnectors;

const MAX_CONNECTOR_ID = 200;

/**
 * Builds a connector from configuration data, as a `hubspoke.config` entry
 * (`{ use: "marketo", config: {…} }`) describes it. Plugins can be added through `plugins`.
 * Unknown ids are `E_NOT_FOUND`; bad config is `E_VALIDATION`; missing secrets are `E_AUTH` on use.
 */
export function createConnector(
  id: string,
  config: unknown,
  options: RuntimeOptions & { plugins?: Record<string, ConnectorDefinition> } = {},
): HubspokeConnector {
  // Looking a 10 MB id up would hash all of it first: ids are short, so refuse a long one at once.
  if (id.length > MAX_CONNECTOR_ID)
    throw new HubspokeError('E_VALIDATION', `Invalid use: a connector id has at most ${MAX_CONNECTOR_ID} characters`, {
      path: 'use',
    });
  const { plugins, ...runtime } = options;
  const available: Record<string, ConnectorDefinition> = { ...builtInConnectors, ...plugins };
  const definition = Object.hasOwn(available, id) ? available[id] : undefined;
  if (definition === undefined) {
    throw new HubspokeError(
      'E_NOT_FOUND',
      `Unknown connector "${id}": expected one of ${Object.keys(available).join(', ')}`,
      { path: 'use', details: { available: Object.keys(available) } },
    );
  }
  return definition.create(config, runtime);
}
