import { guarded } from '@hubspoke/core';
import * as impl from './teams.js';

export { teams, TeamsConfigSchema } from './teams.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const escapeTeamsMarkdown = guarded('escapeTeamsMarkdown', ['text:string'], impl.escapeTeamsMarkdown);
export const teamsCard = guarded('teamsCard', ['input:object'], impl.teamsCard);
export type { TeamsConfig } from './teams.js';
