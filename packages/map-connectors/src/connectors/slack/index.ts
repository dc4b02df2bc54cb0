export { slack, SlackConfigSchema, classifySlack, escapeSlack, slackBlocks } from './slack.js';
export type { SlackConfig } from './slack.js';
