export { smtp, SmtpConfigSchema } from './smtp.js';
export type { SmtpConfig } from './smtp.js';
