// The public face of the hub's functions: each checks its arguments in O(1) before doing any work
// (a 10 MB string or a 10,000-level value given for a hub, a principal or options is refused
// without reading it) and lets only a HubspokeError escape (core's `guarded`: anything else is
// E_INTERNAL with the cause). The modules keep the plain functions for internal callers.
import { guarded, HubspokeError, type ArgSpec } from '@hubspoke/core';
import * as hubModule from './hub.js';
import { Hub, HUB_METHOD_ARGS } from './hub.js';
import * as check from './check.js';
import * as locations from './lint-locations.js';
import * as peer from './optional-peer.js';
import * as review from './review.js';
import * as folder from './definition/folder-source.js';
import * as database from './database.js';
import * as config from './config.js';
import * as files from './io/files.js';
import * as writing from './io/write-file.js';
import * as fsErrors from './io/fs-error.js';
import * as importing from './import-template.js';
import * as exchange from './exchange.js';
import * as scaffold from './scaffold/scaffold.js';
import * as render from './render.js';
import * as abort from './abort.js';
import * as publish from './publish.js';
import * as assist from './assist.js';
import * as connectors from './connectors.js';
import * as metrics from './metrics.js';
import * as okr from './okr.js';
import * as effects from './effects.js';
import * as upgrade from './upgrade.js';
import * as preview from './preview.js';

/** `E_VALIDATION` unless `value` is a Hub (from `loadHub` or `openHub`). */
export function assertHub(fn: string, value: unknown): asserts value is Hub {
  if (value instanceof Hub) return;
  throw new HubspokeError('E_VALIDATION', `Invalid hub: ${fn} expected a Hub (from loadHub or openHub)`, {
    path: 'hub',
    details: { function: fn, argument: 0, expected: 'Hub' },
  });
}

/**
 * `guarded` with its string arguments (paths, ids, references) bounded to core's
 * `MAX_NAME_LENGTH`, and with `hubFirst` the first argument a Hub.
 */
function entry<F extends (...args: never[]) => unknown>(
  fn: string,
  specs: readonly ArgSpec[],
  impl: F,
  hubFirst = false,
): F {
  const inner = (...args: unknown[]): unknown => {
    if (hubFirst) assertHub(fn, args[0]);
    return (impl as unknown as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(inner, 'length', { value: impl.length });
  const checked = guarded(fn, specs, inner as unknown as F, { boundNames: true }) as unknown as (
    ...a: unknown[]
  ) => unknown;
  if (Object.prototype.toString.call(impl) !== '[object AsyncFunction]') return checked as unknown as F;
  // An async function reports bad arguments as a rejection, as it reports everything else.
  const rejecting = async (...args: unknown[]): Promise<unknown> => await checked(...args);
  Object.defineProperty(rejecting, 'name', { value: fn });
  Object.defineProperty(rejecting, 'length', { value: impl.length });
  return rejecting as unknown as F;
}

/** An entry point whose first argument is a Hub. */
function onHub<F extends (...args: never[]) => unknown>(fn: string, specs: readonly ArgSpec[], impl: F): F {
  return entry(fn, ['hub:object', ...specs], impl, true);
}

/** The free form of a Hub method (`submit(hub, …)` for `hub.submit(…)`), with the method's arguments. */
function hubMethod<F extends (...args: never[]) => unknown>(name: keyof typeof HUB_METHOD_ARGS, impl: F): F {
  return onHub(name, HUB_METHOD_ARGS[name], impl);
}

// Opening a hub
export const loadHub = entry('loadHub', ['options:object?'], hubModule.loadHub);
export const openHub = entry('openHub', ['options:object'], hubModule.openHub);

// Checks
export const checkDraft = hubMethod('checkDraft', check.checkDraft);
export const localesOf = entry('localesOf', ['draft:object'], check.localesOf);
export const lintDrafts = hubMethod('lintDrafts', check.lintDrafts);
export const readBaseline = entry('readBaseline', ['file:string'], check.readBaseline);
export const findingLocator = entry('findingLocator', ['draft:object', 'files:object'], locations.findingLocator);
export const optionalPeer = entry(
  'optionalPeer',
  ['name:string', 'purpose:string', 'load:function'],
  peer.optionalPeer,
);

// Review
export const submit = hubMethod('submit', review.submit);
export const decide = hubMethod('decide', review.decide);
export const comment = hubMethod('comment', review.comment);
export const status = hubMethod('status', review.status);
export const due = hubMethod('due', review.due);
export const listSubmissions = hubMethod('listSubmissions', review.listSubmissions);
export const submissionsOf = onHub('submissionsOf', ['principal:object', 'draftId:string'], review.submissionsOf);
export const resolveSubmission = onHub(
  'resolveSubmission',
  ['principal:object', 'ref:string'],
  review.resolveSubmission,
);
export const nextCommentId = entry('nextCommentId', ['state:object'], review.nextCommentId);

// Definition sources
export const inFile = entry('inFile', ['file:string', 'load:function'], folder.inFile);
export const parseTemplateFile = guarded(
  'parseTemplateFile',
  ['text:string', 'shown:string', 'id:string', 'includes:function?'],
  folder.parseTemplateFile,
);

// Storage
export const openDatabase = entry('openDatabase', ['target:object', 'options:object?'], database.openDatabase);
export const usePristineCluster = entry('usePristineCluster', ['snapshot:object'], database.usePristineCluster);
export const resolveDatabase = entry('resolveDatabase', ['options:object'], database.resolveDatabase);
export const redactUrl = entry('redactUrl', ['url:string'], database.redactUrl);
export const poolOptions = entry('poolOptions', ['url:string'], database.poolOptions);

// Config and files
export const defineConfig = guarded('defineConfig', ['config:object'], config.defineConfig);
export const loadConfig = entry('loadConfig', ['options:object'], config.loadConfig);
export const findConfig = entry('findConfig', ['cwd:string'], config.findConfig);
export const expandEnv = guarded('expandEnv', ['value:string', 'at:string', 'env:object'], config.expandEnv);
export const resolveConnectorConfig = entry(
  'resolveConnectorConfig',
  ['name:string', 'config:object', 'env:object'],
  config.resolveConnectorConfig,
);
export const readJson = entry('readJson', ['file:string', 'what:string'], files.readJson);
export const readText = entry('readText', ['file:string', 'what:string'], files.readText);
export const parseJsonText = guarded(
  'parseJsonText',
  ['text:string', 'file:string', 'what:string'],
  files.parseJsonText,
);
export const writeFileAtomic = entry(
  'writeFileAtomic',
  ['file:string', 'data:value'],
  async (file: string, data: string | Uint8Array) => {
    if (typeof data !== 'string' && !(data instanceof Uint8Array))
      throw new HubspokeError('E_VALIDATION', 'Invalid data: writeFileAtomic expected a string or a Uint8Array', {
        path: 'data',
      });
    return writing.writeFileAtomic(file, data);
  },
);
export const writeFoldersAtomic = entry(
  'writeFoldersAtomic',
  ['folders:object'],
  async (folders: Map<string, [string, string | Uint8Array][]>) => {
    if (!(folders instanceof Map))
      throw new HubspokeError(
        'E_VALIDATION',
        'Invalid folders: writeFoldersAtomic expected a Map of folders to files',
        {
          path: 'folders',
        },
      );
    return writing.writeFoldersAtomic(folders);
  },
);
export const fsError = guarded('fsError', ['cause:any', 'action:string', 'file:string'], fsErrors.fsError);

// Importing an email as a template; folder exchange and the example hub
export const importTemplate = onHub(
  'importTemplate',
  ['principal:object', 'file:string', 'options:object?'],
  importing.importTemplate,
);
export const importHub = onHub('importHub', ['into:object', 'principal:object'], exchange.importHub);
export const exportHub = onHub('exportHub', ['dir:string', 'options:object?'], exchange.exportHub);
export const scaffoldFiles = guarded('scaffoldFiles', [], scaffold.scaffoldFiles);
export const scaffoldHub = entry('scaffoldHub', ['dir:string', 'options:object?'], scaffold.scaffoldHub);

// Render, publish, measure, coordinate
export const renderAll = hubMethod('renderAll', render.renderAll);
export const stopIfAborted = guarded('stopIfAborted', ['signal:object?'], abort.stopIfAborted);
export const push = hubMethod('push', publish.push);
export const checkConnector = hubMethod('checkConnector', publish.checkConnector);
export const assistCapabilities = guarded('assistCapabilities', ['env:object'], assist.assistCapabilities);
export const assistProviderName = guarded('assistProviderName', ['env:object'], assist.assistProviderName);
export const suggestAltText = hubMethod('suggestAltText', assist.suggestAltText);
export const suggestSubjects = hubMethod('suggestSubjects', assist.suggestSubjects);
export const translateLocale = hubMethod('translateLocale', assist.translateLocale);
export const connectorOf = onHub('connectorOf', ['name:string?', 'runtime:object?'], connectors.connectorOf);
export const importMetrics = hubMethod('importMetrics', metrics.importMetrics);
export const pullMetrics = hubMethod('pullMetrics', metrics.pullMetrics);
export const pullScope = entry('pullScope', ['instance:string', 'campaignIds:array?'], metrics.pullScope);
export const groupByOf = guarded('groupByOf', ['dims:array?'], metrics.groupByOf);
export const okrReport = hubMethod('okrReport', okr.okrReport);
export const listEffects = hubMethod('listEffects', effects.listEffects);
export const requeueEffect = hubMethod('requeueEffect', effects.requeueEffect);
export const dispatchEffects = hubMethod('dispatchEffects', effects.dispatchEffects);
export const upgradeDraft = hubMethod('upgradeDraft', upgrade.upgradeDraft);
export const previewRender = hubMethod('previewRender', preview.previewRender);
export const reviewView = hubMethod('reviewView', preview.reviewView);
