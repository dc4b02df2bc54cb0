// The public face of core's helpers: each checks its arguments in O(1) and lets only a
// HubspokeError escape (see `guarded`); the modules keep the plain functions for internal use.
import { guarded } from './validation/guards.js';
import * as diagnostic from './schemas/diagnostic.js';
import * as approvalEvent from './schemas/approval-event.js';
import * as timing from './timing.js';
import * as locks from './rules/locks.js';
import * as library from './rules/brand-library.js';
import * as hash from './hash/content-hash.js';
import * as sha from './hash/sha256.js';
import * as parsing from './validation/parse.js';
import * as issues from './validation/format-issues.js';
import * as describe from './validation/describe-schema.js';
import * as registry from './registry.js';
import * as migrations from './sql-migrations.js';
import * as grammar from './tokens/grammar.js';
import * as rendered from './schemas/rendered-email.js';
import * as tokens from './tokens/evaluate.js';
import * as sends from './test-sends.js';
import * as access from './operating-model/can.js';
import * as people from './operating-model/directory.js';

export const countDiagnostics = guarded('countDiagnostics', ['diagnostics:array'], diagnostic.countDiagnostics);
export const compareDiagnostics = guarded(
  'compareDiagnostics',
  ['a:object', 'b:object'],
  diagnostic.compareDiagnostics,
);
export const actorOf = guarded('actorOf', ['principal:object'], approvalEvent.actorOf);
export const backoffDelay = guarded(
  'backoffDelay',
  ['attempt:number', 'policy:object', 'random:function?'],
  timing.backoffDelay,
);
export const closest = guarded('closest', ['word:any', 'candidates:iterable'], describe.closest);
export const sleep = guarded('sleep', ['ms:number', 'signal:object?'], timing.sleep);
export const retryAfterMs = guarded('retryAfterMs', ['headers:object', 'now:number?'], timing.retryAfterMs);
export const accessOf = guarded('accessOf', ['lock:value', 'property:string'], locks.accessOf);
export const effectiveLock = guarded('effectiveLock', ['slot:object', 'module:object'], locks.effectiveLock);
export const canEdit = guarded('canEdit', ['slot:object', 'module:object', 'property:string'], locks.canEdit);
export const matchesKind = guarded('matchesKind', ['def:object', 'value:any'], locks.matchesKind);
export const slotProperty = guarded('slotProperty', ['def:object', 'value:any', 'property:string'], locks.slotProperty);
export const lockedChanges = guarded('lockedChanges', ['def:object', 'lock:value', 'value:any'], locks.lockedChanges);
export const editableProperties = guarded('editableProperties', ['def:object', 'lock:value'], locks.editableProperties);
export const isTextProperty = guarded('isTextProperty', ['property:string'], locks.isTextProperty);
export const normalizeHexColor = guarded('normalizeHexColor', ['value:string'], library.normalizeHexColor);
export const paletteColorOf = guarded('paletteColorOf', ['palette:array', 'color:string'], library.paletteColorOf);
export const brandLibrary = guarded('brandLibrary', ['kit:object'], library.brandLibrary);
export const sameLibraryUrl = guarded('sameLibraryUrl', ['a:string', 'b:string'], library.sameLibraryUrl);
export const emailContentHash = guarded('emailContentHash', ['email:object'], hash.emailContentHash);
export const draftContentHash = guarded('draftContentHash', ['draft:object', 'template:object'], hash.draftContentHash);
export const sha256Hex = guarded('sha256Hex', ['input:value'], sha.sha256Hex);
export const parse = guarded('parse', ['schema:object', 'input:any', 'label:string?'], parsing.parse);
export const safeParse = guarded('safeParse', ['schema:object', 'input:any', 'label:string?'], parsing.safeParse);
export const validationError = guarded('validationError', ['label:string', 'issues:array'], parsing.validationError);
export const formatPath = guarded('formatPath', ['root:string', 'path:array'], issues.formatPath);
export const formatIssues = guarded(
  'formatIssues',
  ['root:string', 'issues:array', 'schema:object?'],
  issues.formatIssues,
);
export const parseAs = guarded('parseAs', ['name:string'], registry.parseAs);
export const safeParseAs = guarded('safeParseAs', ['name:string'], registry.safeParseAs);
export const migrateSql = guarded('migrateSql', ['client:object', 'options:object'], migrations.migrateSql);
export const quoteLiteral = guarded('quoteLiteral', ['text:string'], grammar.quoteLiteral);
export const eloquaDynamicContentPlaceholder = guarded(
  'eloquaDynamicContentPlaceholder',
  ['name:string'],
  rendered.eloquaDynamicContentPlaceholder,
);
export const lexTokens = guarded('lexTokens', ['input:string'], grammar.lexTokens);
export const parseTokens = guarded('parseTokens', ['input:string', 'options:object?'], grammar.parseTokens);
export const fieldsOf = guarded('fieldsOf', ['nodes:array', 'into:object?'], grammar.fieldsOf);
export const conditionFields = guarded('conditionFields', ['condition:object', 'into:object'], grammar.conditionFields);
export const evaluate = guarded('evaluate', ['condition:object', 'contact:object?'], tokens.evaluate);
export const personalizedText = guarded(
  'personalizedText',
  ['nodes:array', 'contact:object?'],
  tokens.personalizedText,
);
export const textWithoutData = guarded('textWithoutData', ['text:string'], tokens.textWithoutData);
export const fieldUses = guarded('fieldUses', ['text:string'], tokens.fieldUses);
export const isPresent = guarded('isPresent', [], tokens.isPresent);
export const isAllowedRecipient = guarded(
  'isAllowedRecipient',
  ['address:string', 'allowedDomains:array'],
  sends.isAllowedRecipient,
);
export const assertTestRecipients = guarded(
  'assertTestRecipients',
  ['recipients:array', 'allowedDomains:array?', 'path:string?'],
  sends.assertTestRecipients,
);
export const can = guarded(
  'can',
  ['model:object', 'principal:object', 'action:string', 'resource:object?', 'options:object?'],
  access.can,
);
export const assertCan = guarded(
  'assertCan',
  ['model:object', 'principal:object', 'action:string', 'resource:object?', 'options:object?'],
  access.assertCan,
);
export const checkPrincipal = guarded(
  'checkPrincipal',
  ['principal:object', 'directory:object'],
  people.checkPrincipal,
);
/** What is wrong with a principal against a directory (validated first), or undefined. */
export const principalProblem = guarded(
  'principalProblem',
  ['principal:object', 'directory:object'],
  people.findPrincipalProblem,
);
