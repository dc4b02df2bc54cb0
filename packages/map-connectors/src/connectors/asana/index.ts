export { asana, AsanaConfigSchema, classifyAsana, createAsanaWebhookReceiver, taskMarker } from './asana.js';
export type { AsanaConfig, WebhookRequest, WebhookReply } from './asana.js';
