export { hubspot, HubSpotConfigSchema, classifyHubSpot, codedTemplate } from './hubspot.js';
export type { HubSpotConfig } from './hubspot.js';
