export { teams, TeamsConfigSchema, escapeTeamsMarkdown, teamsCard } from './teams.js';
export type { TeamsConfig } from './teams.js';
