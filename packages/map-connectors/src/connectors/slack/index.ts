import { guarded } from '@hubspoke/core';
import * as impl from './slack.js';

export { slack, SlackConfigSchema } from './slack.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifySlack = guarded('classifySlack', ['input:object'], impl.classifySlack);
export const escapeSlack = guarded('escapeSlack', ['text:string'], impl.escapeSlack);
export const slackBlocks = guarded('slackBlocks', ['input:object'], impl.slackBlocks);
export type { SlackConfig } from './slack.js';
