/** Redaction lives in core (one home for the rule); the SDK re-exports it for connector authors. */
export { REDACTED, Redactor } from '@hubspoke/core';
