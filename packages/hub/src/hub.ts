import { assertKnown, knownReferences } from './references.js';
import {
  guardMethods,
  assertCan,
  can,
  checkArgs,
  checkPrincipal,
  closest,
  DraftSchema,
  NewDraftSchema,
  type NewDraft,
  HubspokeError,
  parse,
  parseBrandKit,
  type Action,
  type ArgSpec,
  type BrandKit,
  type CheckResult,
  type Diagnostic,
  type Draft,
  type OkrSet,
  type OperatingModel,
  type Principal,
  type PrincipalDirectory,
  type Template,
  type WorkflowDef,
} from '@hubspoke/core';
import {
  createApprovals,
  SqlEventStore,
  type Approvals,
  type AuditOptions,
  type CommandResult,
  type DueRun,
  type ListQuery,
  type OutboxEntry,
  type OutboxStatus,
  type SubmissionState,
  type SubmissionSummary,
} from '@hubspoke/approval-state';
import { createLinter, defineConfig, type Linter } from '@hubspoke/brand-rules';
import { createSqlPublishStore, type SqlPublishStore } from '@hubspoke/map-connectors';
import { createDraft as newDraft } from '@hubspoke/template-engine';
import {
  checkDraft,
  lintDrafts,
  validationOf,
  validDraft,
  type CheckOptions,
  type DraftCheck,
  type LintDraftsOptions,
  type LintedDraft,
} from './check.js';
import { auditFromEnv } from './audit.js';
import * as assist from './assist.js';
import * as review from './review.js';
import * as effects from './effects.js';
import * as metrics from './metrics.js';
import { okrReport, type OkrReportOptions } from './okr.js';
import * as preview from './preview.js';
import { checkConnector, push, type PushOptions, type PushOutcome } from './publish.js';
import { renderAll, type RenderAllOptions, type RenderedVariant } from './render.js';
import { upgradeDraft, type UpgradeOptions, type UpgradeOutcome } from './upgrade.js';
import { loadConfig } from './config.js';
import { openDatabase, resolveDatabase, withDatabaseHint, type HubDatabase } from './database.js';
import { FolderSource, parseTemplateFile } from './definition/folder-source.js';
import type { HubSettings, HubSource, HubTemplate, SourcedDraft } from './definition/source.js';
import { StoreSource } from './definition/store-source.js';
import { HubStore, approvedReadOnly, type DraftQuery, type DraftStatus } from './store/hub-store.js';
import { ResultCache } from './result-cache.js';

/** The database-backed parts of a hub, opened on first use. */
export interface HubState {
  database: HubDatabase;
  store: HubStore;
  /** The approval events (and their effect outbox), in the same database. */
  events: SqlEventStore;
  /** Where connectors remember what they published, in the same database. */
  publishStore: SqlPublishStore;
}

export interface LoadHubOptions {
  /** Where to look for `hubspoke.config.*` (here or above); paths callers pass are relative to it. Default: `process.cwd()`. */
  cwd?: string;
  /** The config file, instead of searching. */
  config?: string;
  /**
   * The database for approvals, publish mappings and metrics: a `postgres://` URL, a PGlite folder
   * (relative to `cwd`) or `memory:`. Default: the config's `database.url`, else `.hubspoke/approvals`.
   * Or a database opened with `openDatabase`, which the hub uses and leaves open (several hubs in
   * turn can share one: a process that runs many commands, or tests).
   */
  database?: string | HubDatabase;
  /** For `${NAME}` in the config and the audit keys (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Keys and checkpoints of the audit trail (default: from `HUBSPOKE_AUDIT_*` in `env`, see `auditFromEnv`). */
  audit?: AuditOptions;
  /** Connections a PostgreSQL database is opened with (default 10; see `openDatabase`). */
  poolSize?: number;
}

export interface OpenHubOptions {
  /** A `postgres://` URL, a PGlite folder, `memory:`, or a database opened with `openDatabase`. */
  database: string | HubDatabase;
  /** Base for a relative PGlite folder and for the `fs` connector's folder (default `process.cwd()`). */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Close `database` with the hub even when it was passed open (default: only when the hub opened it). */
  closeDatabase?: boolean;
  /** Keys and checkpoints of the audit trail (default: from `HUBSPOKE_AUDIT_*` in `env`). */
  audit?: AuditOptions;
  /** Connections a PostgreSQL `database` URL is opened with (default 10; see `openDatabase`). */
  poolSize?: number;
}

/** What a new draft needs (core's `NewDraftSchema`); the author is the acting principal. */
export type CreateDraftInput = NewDraft;

export interface SaveDraftOptions {
  /** The version the caller edited (the server's `If-Match`); a stale one is `E_CONFLICT` (reason `stale`). */
  expectedVersion: number;
}

export interface Page<T> {
  items: T[];
  /** Whether more items follow (ask again with `offset + items.length`). */
  more: boolean;
}

/** Drafts read at a time (the store answers at most 1000 per query). */
const DRAFT_PAGE = 500;

const LOCK_RULES = new Set(['template/locked-slot', 'template/locked-field', 'template/locked-module']);

/** Where a lock diagnostic points, as a key and as a readable path. */
function lockKey(d: Diagnostic): string {
  const l = d.location;
  return [d.ruleId, l.locale, l.instanceId, l.slotId, l.field, l.property].map((x) => x ?? '').join('|');
}

/** Where a template reference came from, for the error's path. */
export interface TemplatePaths {
  id?: string | undefined;
  version?: string | undefined;
}

/** `E_NOT_FOUND` for a template id the hub does not have, at `path`, suggesting the closest id. */
function unknownTemplate(id: string, all: readonly HubTemplate[], path: string): HubspokeError {
  const ids = [...new Set(all.map((t) => t.template.id))].sort();
  const near = closest(id, ids);
  return new HubspokeError(
    'E_NOT_FOUND',
    `template ${JSON.stringify(id)}: not in the hub${near === undefined ? '' : `; did you mean "${near}"?`}`,
    {
      path,
      hint: `known templates: ${ids.join(', ') || '(none)'}`,
      details: { template: id, known: ids, ...(near === undefined ? {} : { didYouMean: near }) },
    },
  );
}

function lockPath(d: Diagnostic): string {
  const l = d.location;
  if (l.field !== undefined) return `content.${l.locale ?? ''}.${l.field}`;
  if (l.slotId === undefined) return `modules.${l.instanceId ?? ''}`;
  return `content.${l.locale ?? ''}.slots.${l.instanceId ?? ''}.${l.slotId}`;
}

/**
 * A loaded hub: its definition (brand kit, templates, workflow, operating model, directory, OKRs),
 * its drafts, and its durable state (approvals, publish mappings, metrics, the change feed). The
 * one place the libraries are composed; the CLI, the server and embedders call it. Acting methods
 * take the acting principal explicitly and check the operating model; one Hub serves many
 * principals at once.
 */
export class Hub {
  private opened: Promise<HubState> | undefined;
  private approvalsCache: Promise<Approvals> | undefined;
  private linterCache: Promise<Linter> | undefined;
  private readonly trustedIssuers = new Set<string>();
  /** Renders and checks by input hash, for this definition (cleared by {@link invalidate}). */
  readonly results = new ResultCache();

  /** Use {@link loadHub} (a folder) or {@link openHub} (a HubStore). */
  constructor(
    readonly source: HubSource,
    private readonly open: () => Promise<HubState>,
    /** The hub's folder: the `fs` connector exports under it. */
    readonly dir: string,
    readonly env: Record<string, string | undefined>,
    private readonly audit: AuditOptions | undefined = auditFromEnv(checkHubArgs(source, open, dir, env), dir),
  ) {
    checkHubArgs(source, open, dir, env);
  }

  /**
   * Trusts the people an identity provider vouched for (the server calls this with the issuer whose
   * tokens it verifies): the approvals take their roles, regions and teams from the provider's
   * claims instead of requiring a directory entry. Anyone else must be in the directory as they are.
   */
  trustIssuer(issuer: string): void {
    if (typeof issuer !== 'string' || issuer.length === 0 || issuer.length > 2000)
      throw new HubspokeError('E_VALIDATION', "Invalid issuer: expected the identity provider's issuer URL", {
        path: 'issuer',
      });
    if (this.trustedIssuers.has(issuer)) return;
    this.trustedIssuers.add(issuer);
    this.approvalsCache = undefined;
  }

  /** Forgets the definition read so far (another process changed it); the next use reads it again. */
  invalidate(): void {
    this.source.invalidate();
    this.approvalsCache = undefined;
    this.linterCache = undefined;
    this.results.clear();
  }

  // ── Definition ──────────────────────────────────────────────────────────────────────────

  settings(): Promise<HubSettings> {
    return this.source.settings();
  }
  brandKit(): Promise<BrandKit> {
    return this.source.brandKit();
  }
  templates(): Promise<HubTemplate[]> {
    return this.source.templates();
  }
  workflows(): Promise<WorkflowDef[]> {
    return this.source.workflows();
  }
  /** The newest workflow version. */
  async workflow(): Promise<WorkflowDef> {
    const all = await this.workflows();
    const newest = [...all].sort((a, b) => b.version - a.version)[0];
    if (newest === undefined) throw new HubspokeError('E_NOT_FOUND', 'workflow: the hub has none');
    return newest;
  }
  operatingModel(): Promise<OperatingModel> {
    return this.source.operatingModel();
  }
  directory(): Promise<Principal[]> {
    return this.source.directory();
  }
  okrs(): Promise<OkrSet> {
    return this.source.okrs();
  }

  /** A principal of the directory by id; `E_NOT_FOUND` naming the known ones. */
  async principal(id: string): Promise<Principal> {
    const people = await this.directory();
    const found = people.find((p) => p.id === id);
    if (found === undefined)
      throw new HubspokeError('E_NOT_FOUND', `principal "${id}": not in the hub's directory`, {
        path: 'principal',
        hint: `known: ${people.map((p) => p.id).join(', ') || '(nobody)'}`,
      });
    return found;
  }

  /**
   * A template version. A template id the hub does not have is `E_NOT_FOUND` at `at.id` (default
   * `template.id`) with the closest id as `details.didYouMean`; a version it does not have, at
   * `at.version` (default `template.version`) naming the versions there are.
   */
  async template(id: string, version: number, at: TemplatePaths = {}): Promise<Template> {
    const all = await this.templates();
    const found = all.find((t) => t.template.id === id && t.template.version === version);
    if (found !== undefined) return found.template;
    const versions = all.filter((t) => t.template.id === id).map((t) => t.template.version);
    if (versions.length === 0) throw unknownTemplate(id, all, at.id ?? 'template.id');
    throw new HubspokeError(
      'E_NOT_FOUND',
      `template ${id}@${version}: not in the hub (versions there: ${versions.join(', ')})`,
      {
        path: at.version ?? 'template.version',
        hint: 'upgrade the draft to a published version',
        details: { template: id, version, versions },
      },
    );
  }

  /** The newest version of a template; an id the hub does not have is `E_NOT_FOUND` at `path` with did-you-mean. */
  async latestTemplate(id: string, path = 'template.id'): Promise<Template> {
    const all = await this.templates();
    const versions = all.filter((t) => t.template.id === id);
    const newest = versions.sort((a, b) => b.template.version - a.template.version)[0];
    if (newest === undefined) throw unknownTemplate(id, all, path);
    return newest.template;
  }

  /** The brand linter: the hub's lint config, or the recommended preset. Built once. */
  linter(): Promise<Linter> {
    this.linterCache ??= (async () => {
      const [brandKit, config] = await Promise.all([this.brandKit(), this.source.lintConfig()]);
      return createLinter({ brandKit, config: defineConfig(config ?? { extends: ['hubspoke/recommended'] }) });
    })();
    this.linterCache.catch(() => (this.linterCache = undefined));
    return this.linterCache;
  }

  /** The hub's HubStore when its definition lives there; `E_UNSUPPORTED` for a folder hub (edit its files). */
  private async definitionStore(what: string): Promise<HubStore> {
    if (this.source.kind !== 'store')
      throw new HubspokeError(
        'E_UNSUPPORTED',
        `${what}: this hub is a folder; edit its files (or import it into a store)`,
      );
    return (await this.state()).store;
  }

  /**
   * Publishes a template version from its MJML (`template.publish`). A version is published once:
   * the same source again is a no-op, other content for a published version is `E_CONFLICT`.
   */
  async publishTemplate(principal: Principal, mjml: string): Promise<{ template: Template; created: boolean }> {
    await this.authorize(principal, 'template.publish');
    const store = await this.definitionStore('publish a template');
    if (typeof mjml !== 'string')
      throw new HubspokeError('E_VALIDATION', 'template: expected MJML text', { path: 'template' });
    const { template } = parseTemplateFile(mjml, 'template', 'template');
    const { created } = await store.putTemplate(template, mjml, principal.id);
    this.invalidate();
    return { template, created };
  }

  /** The brand kit with its version (store hubs; a folder hub's is version 1). */
  async brandKitVersion(): Promise<{ brandKit: BrandKit; version: number }> {
    if (this.source.kind !== 'store') return { brandKit: await this.brandKit(), version: 1 };
    const found = await (await this.state()).store.brandKit();
    if (found === undefined) return { brandKit: await this.brandKit(), version: 0 };
    return found;
  }

  /** Saves a new brand-kit version (`brandKit.edit`); a stale `expectedVersion` is `E_CONFLICT`. */
  async saveBrandKit(principal: Principal, input: unknown, expectedVersion?: number): Promise<number> {
    await this.authorize(principal, 'brandKit.edit');
    const store = await this.definitionStore('save the brand kit');
    const version = await store.putBrandKit(parseBrandKit(input), principal.id, expectedVersion);
    this.invalidate();
    return version;
  }

  // ── State ───────────────────────────────────────────────────────────────────────────────

  /** The database-backed stores, opened (and migrated) on first use. */
  state(): Promise<HubState> {
    this.opened ??= this.open();
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  /** The approval service over the hub's workflows, operating model and directory. */
  approvals(): Promise<Approvals> {
    this.approvalsCache ??= (async () => {
      const [{ events }, workflows, operatingModel] = await Promise.all([
        this.state(),
        this.workflows(),
        this.operatingModel(),
      ]);
      return createApprovals({
        store: events,
        workflows,
        operatingModel,
        directory: () => this.directory(),
        trustedIssuers: [...this.trustedIssuers],
        ...(this.audit === undefined ? {} : { audit: this.audit }),
      });
    })();
    this.approvalsCache.catch(() => (this.approvalsCache = undefined));
    return this.approvalsCache;
  }

  /** Closes the database, if it was opened. */
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.approvalsCache = undefined;
    if (opened === undefined) return;
    const state = await opened.catch(() => undefined);
    await state?.database.close();
  }

  /** The hub's directory and the identity providers it trusts: what a principal is checked against. */
  async directoryCheck(): Promise<PrincipalDirectory> {
    return { directory: await this.directory(), trustedIssuers: [...this.trustedIssuers] };
  }

  /**
   * The principal, validated and checked against the hub's directory (core `checkPrincipal`):
   * `E_FORBIDDEN` with details.reason `unknown-principal` (and `didYouMean`) or `principal-mismatch`
   * unless it is the directory's entry as it is, or an identity provider the hub trusts vouched for it.
   */
  async checkPrincipal(principal: unknown): Promise<Principal> {
    return checkPrincipal(principal, await this.directoryCheck());
  }

  /**
   * Throws `E_FORBIDDEN` unless the principal may perform `action` on the resource. Deny by default:
   * a principal the hub's directory does not know (or knows otherwise) is refused before the
   * operating model is read, with the reason.
   */
  async authorize(
    principal: Principal,
    action: Action,
    resource: { region?: string | undefined; team?: string | undefined; ownerId?: string | undefined } = {},
  ): Promise<void> {
    const [model, directory] = await Promise.all([this.operatingModel(), this.directoryCheck()]);
    assertCan(model, principal, action, resource, { directory });
  }

  // ── Drafts ──────────────────────────────────────────────────────────────────────────────

  /** A draft by id (or file path in a folder hub), without a role check: for local tools and checks. */
  draft(ref: string): Promise<SourcedDraft> {
    return this.source.drafts.get(ref);
  }

  /** The drafts named, or every draft of the hub. */
  async drafts(refs: readonly string[] = []): Promise<SourcedDraft[]> {
    if (refs.length > 0) return Promise.all(refs.map((r) => this.draft(r)));
    const all: SourcedDraft[] = [];
    for (let offset = 0; ; offset += DRAFT_PAGE) {
      const page = await this.source.drafts.list({ limit: DRAFT_PAGE, offset });
      all.push(...page);
      if (page.length < DRAFT_PAGE) return all;
    }
  }

  /** Deny by default: a principal the hub's directory does not know (or knows otherwise) sees nothing. */
  private async mayView(principal: Principal, draft: Draft): Promise<boolean> {
    const [model, directory] = await Promise.all([this.operatingModel(), this.directoryCheck()]);
    const resource = { region: draft.region, team: draft.team, ownerId: draft.author };
    return (['draft.edit', 'submission.view'] as const).some(
      (a) => can(model, principal, a, resource, { directory }).allowed,
    );
  }

  /**
   * A draft the principal may see (`draft.edit` or `submission.view` on it), with its version and
   * review status. A principal the directory refuses is `E_FORBIDDEN` with the reason.
   */
  async getDraft(principal: Principal, id: string): Promise<SourcedDraft> {
    await this.checkPrincipal(principal);
    const found = await this.withStatus(await this.draft(id));
    if (!(await this.mayView(principal, found.draft)))
      throw new HubspokeError('E_FORBIDDEN', `${principal.id} may not see draft ${found.draft.id}`, {
        details: { principal: principal.id, action: 'draft.view' },
      });
    return found;
  }

  /**
   * An earlier saved version of a draft the principal may see (store hubs keep every save; a
   * review panel diffs the versions two rounds pinned). `E_NOT_FOUND` when there is no such version.
   */
  async getDraftVersion(principal: Principal, id: string, version: number): Promise<Draft> {
    const current = await this.getDraft(principal, id);
    if (version === current.version) return current.draft;
    const found =
      this.source.kind === 'store' ? await (await this.state()).store.getDraftVersion(id, version) : undefined;
    if (found === undefined)
      throw new HubspokeError('E_NOT_FOUND', `draft ${id} has no saved version ${version}`, {
        path: 'version',
        hint: `its current version is ${current.version}`,
      });
    return found;
  }

  /** Drafts the principal may see, filtered, most recently updated first, `limit` (default 50) from `offset`. */
  async listDrafts(principal: Principal, query: DraftQuery = {}): Promise<Page<SourcedDraft>> {
    await this.checkPrincipal(principal);
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
    let skip = Math.max(query.offset ?? 0, 0);
    const items: SourcedDraft[] = [];
    const { limit: _l, offset: _o, status, ...filters } = query;
    const pageSize = 200;
    for (let at = 0; items.length <= limit; at += pageSize) {
      const page = await this.source.drafts.list({
        ...filters,
        ...(this.source.kind === 'store' && status !== undefined ? { status } : {}),
        limit: pageSize,
        offset: at,
      });
      for (const raw of page) {
        const found = await this.withStatus(raw);
        if (status !== undefined && found.status !== status) continue;
        if (!(await this.mayView(principal, found.draft))) continue;
        if (skip > 0) skip -= 1;
        else items.push(found);
      }
      if (page.length < pageSize) break;
    }
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  /** Folder drafts keep no review index: their status is their latest submission's. */
  private async withStatus(found: SourcedDraft): Promise<SourcedDraft> {
    if (this.source.kind === 'store') return found;
    const { events } = await this.state();
    const latest = (await events.list({ draftId: found.draft.id, limit: 1 }))[0];
    if (latest === undefined) return found;
    return { ...found, status: latest.status as DraftStatus, submissionId: latest.submissionId };
  }

  /** A new draft of a template version (default: the newest), authored by the principal, in a region they may create in. */
  async createDraft(principal: Principal, given: CreateDraftInput): Promise<SourcedDraft> {
    const input = parse(NewDraftSchema, given, 'input');
    const template =
      input.template.version === undefined
        ? await this.latestTemplate(input.template.id)
        : await this.template(input.template.id, input.template.version);
    const region = input.region ?? (principal.regions.length === 1 ? principal.regions[0] : undefined);
    const team = input.team ?? (principal.teams.length === 1 ? principal.teams[0] : undefined);
    const known = await knownReferences(this);
    assertKnown('region', region, known, 'region');
    assertKnown('team', team, known, 'team');
    assertKnown('locale', input.defaultLocale, known, 'defaultLocale');
    await this.authorize(principal, 'draft.create', { region, team, ownerId: principal.id });
    const created = newDraft(template, {
      id: input.id,
      name: input.name,
      author: principal.id,
      ...(input.defaultLocale === undefined ? {} : { defaultLocale: input.defaultLocale }),
    });
    const draft = parse(
      DraftSchema,
      {
        ...created,
        ...(region === undefined ? {} : { region }),
        ...(team === undefined ? {} : { team }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
        ...(input.campaignId === undefined ? {} : { campaignId: input.campaignId }),
      },
      'draft',
    );
    return this.source.drafts.create(draft, principal.id);
  }

  /**
   * Saves an edited draft: the principal needs `draft.edit` on it (and `draft.create` in a new
   * region or team); a change to a locked slot, field or module is `E_LOCKED` naming it, unless
   * they may `draft.editLocked`; a stale `expectedVersion` is `E_CONFLICT`. A new template version
   * goes through {@link upgradeDraft}. Deny by default: a principal the hub's directory refuses is
   * `E_FORBIDDEN` with the reason (`unknown-principal`, `principal-mismatch`).
   */
  async saveDraft(actor: Principal, input: unknown, options: SaveDraftOptions): Promise<SourcedDraft> {
    const principal = await this.checkPrincipal(actor);
    const draft = await validDraft(this, input);
    const found = await this.withStatus(await this.draft(draft.id));
    const current = found.draft;
    const model = await this.operatingModel();
    assertCan(model, principal, 'draft.edit', { region: current.region, team: current.team, ownerId: current.author });
    if (found.status === 'approved') throw approvedReadOnly(current.id);
    if (draft.author !== current.author)
      throw new HubspokeError(
        'E_VALIDATION',
        `draft.author: the author of ${draft.id} is ${current.author}, and stays`,
        {
          path: 'draft.author',
        },
      );
    if (draft.region !== current.region || draft.team !== current.team)
      assertCan(model, principal, 'draft.create', { region: draft.region, team: draft.team, ownerId: draft.author });
    if (draft.template.id !== current.template.id || draft.template.version !== current.template.version)
      throw new HubspokeError(
        'E_VALIDATION',
        `draft.template: ${draft.id} pins ${current.template.id}@${current.template.version}; move it with upgradeDraft`,
        { path: 'draft.template' },
      );
    if (
      !can(model, principal, 'draft.editLocked', { region: draft.region, team: draft.team, ownerId: draft.author })
        .allowed
    )
      await assertLocksKept(this, current, draft);
    return this.source.drafts.update(draft, options.expectedVersion, principal.id);
  }

  /**
   * After approval a draft is read-only; this starts its next version: the same content at the
   * next version number, editable again and without a submission (the next submit is a new
   * review). The principal needs `draft.edit` on it; the change feed records who did it
   * (`{ action: 'newVersion', from }`). `E_CONFLICT` unless it is approved (reason `notApproved`)
   * or when `expectedVersion` is stale; a folder hub's drafts are files (`E_UNSUPPORTED`).
   */
  async startNewVersion(
    principal: Principal,
    id: string,
    options: { expectedVersion?: number } = {},
  ): Promise<SourcedDraft> {
    const found = await this.getDraft(principal, id);
    const current = found.draft;
    await this.authorize(principal, 'draft.edit', {
      region: current.region,
      team: current.team,
      ownerId: current.author,
    });
    if (this.source.kind !== 'store')
      throw new HubspokeError('E_UNSUPPORTED', `draft ${id}: a folder hub's drafts are files; edit the file instead`, {
        hint: 'hubspoke serve runs on a hub store (hubspoke hub import)',
      });
    return (await this.state()).store.startNewVersion(current.id, principal.id, options.expectedVersion);
  }

  /** `E_LOCKED` naming the first locked slot, field or module `next` changes compared with `previous`. */
  async assertLocksKept(previous: Draft, next: Draft): Promise<void> {
    await assertLocksKept(this, parse(DraftSchema, previous, 'previous'), parse(DraftSchema, next, 'next'));
  }

  // ── Checks ──────────────────────────────────────────────────────────────────────────────

  /** Checks drafts (default: all), writing safe fixes back with `fix`; see {@link lintDrafts}. */
  lintDrafts(refs: readonly string[] = [], options: LintDraftsOptions = {}): Promise<LintedDraft[]> {
    return lintDrafts(this, refs, options);
  }

  /** Validates, renders every locale once and lints a draft (see {@link checkDraft}). */
  checkDraft(draft: unknown, options: CheckOptions = {}): Promise<DraftCheck> {
    return checkDraft(this, draft, options);
  }

  // ── Review ──────────────────────────────────────────────────────────────────────────────

  /** Submits (or resubmits) a draft for review; see {@link review.submit}. */
  submit(principal: Principal, draftRef: string, options: review.SubmitOptions = {}): Promise<review.SubmitResult> {
    return review.submit(this, principal, draftRef, options);
  }

  /** Decides on a submission (or its draft's latest); see {@link review.decide}. */
  decide(principal: Principal, ref: string, input: review.DecideInput): Promise<CommandResult> {
    return review.decide(this, principal, ref, input);
  }

  /** Comments, replies, resolves or reopens; see {@link review.comment}. */
  comment(
    principal: Principal,
    ref: string,
    input: review.CommentInput,
  ): Promise<{ result: CommandResult; commentId: string }> {
    return review.comment(this, principal, ref, input);
  }

  /** A submission's state, by submission id or draft. */
  status(principal: Principal, ref: string): Promise<SubmissionState> {
    return review.status(this, principal, ref);
  }

  /** Submissions the principal may view, filtered and paged. */
  listSubmissions(
    principal: Principal,
    query: Omit<ListQuery, 'limit' | 'offset'> = {},
    page: { offset?: number; limit?: number } = {},
  ): Promise<Page<SubmissionSummary>> {
    return review.listSubmissions(this, principal, query, page);
  }

  /** Records what is due at `now` (reminders, escalations, timed stage starts). */
  due(now?: Date): Promise<DueRun> {
    return review.due(this, now);
  }

  /** A submission as a review panel shows it, with the decisions the principal may make now. */
  reviewView(principal: Principal, submissionId: string): Promise<preview.ReviewView> {
    return preview.reviewView(this, principal, submissionId);
  }

  // ── Render, publish, measure ────────────────────────────────────────────────────────────

  /** Every locale × dialect of a draft with its findings; see {@link renderAll}. */
  renderAll(draft: unknown, options: RenderAllOptions = {}): Promise<RenderedVariant[]> {
    return renderAll(this, draft, options);
  }

  /** An annotated preview of one locale with its findings. */
  previewRender(draftRef: string, locale: string, contact?: string): Promise<preview.PreviewRender> {
    return preview.previewRender(this, draftRef, locale, contact);
  }

  /** Moves a draft to another template version and saves it; see {@link upgradeDraft}. */
  upgradeDraft(principal: Principal, ref: string, options: UpgradeOptions = {}): Promise<UpgradeOutcome> {
    return upgradeDraft(this, principal, ref, options);
  }

  // ── Assistance ──────────────────────────────────────────────────────────────────────────

  /** What the hub's assistant (`HUBSPOKE_AI_PROVIDER`) offers; see {@link assist.assistProviderName}. */
  assistCapabilities(): assist.AssistCapabilities {
    return assist.assistCapabilities(this.env);
  }

  /** Subject-line or preheader variants with their brand-check results; see {@link assist.suggestSubjects}. */
  suggestSubjects(principal: Principal, input: assist.SuggestSubjectsInput): Promise<assist.AssistSuggestion[]> {
    return assist.suggestSubjects(this, principal, input);
  }

  /** One locale translated from another by the assistant, pre-linted; see {@link assist.translateLocale}. */
  translateLocale(principal: Principal, input: assist.TranslateLocaleInput): Promise<assist.LocaleTranslation> {
    return assist.translateLocale(this, principal, input);
  }

  /** Alt-text suggestions for one image slot; see {@link assist.suggestAltText}. */
  suggestAltText(principal: Principal, input: assist.SuggestAltTextInput): Promise<assist.AssistSuggestion[]> {
    return assist.suggestAltText(this, principal, input);
  }

  /** Publishes an approved draft through a connector; see {@link push}. */
  push(principal: Principal, draftRef: string, options: PushOptions = {}): Promise<PushOutcome> {
    return push(this, principal, draftRef, options);
  }

  /** Verifies a connector's credentials. */
  checkConnector(
    name: string | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<CheckResult & { connector: string; name: string }> {
    return checkConnector(this, name, options);
  }

  /** Imports metrics files or data; see {@link metrics.importMetrics}. */
  importMetrics(
    principal: Principal,
    inputs: readonly metrics.MetricsInput[],
    options: metrics.MetricsOptions = {},
  ): Promise<metrics.MetricsResult> {
    return metrics.importMetrics(this, principal, inputs, options);
  }

  /** Pulls metrics from a connector; see {@link metrics.pullMetrics}. */
  pullMetrics(principal: Principal, options: metrics.PullOptions): Promise<metrics.MetricsResult> {
    return metrics.pullMetrics(this, principal, options);
  }

  /** The OKR report as text in a format. */
  okrReport(options: OkrReportOptions = {}): Promise<string> {
    return okrReport(this, options);
  }

  /** Entries of the effect outbox. */
  listEffects(query: { status?: OutboxStatus; limit?: number; offset?: number } = {}): Promise<OutboxEntry[]> {
    return effects.listEffects(this, query);
  }

  /** Puts a dead outbox entry back in the queue. */
  requeueEffect(id: string): Promise<void> {
    return effects.requeueEffect(this, id);
  }

  /** Delivers the outbox with connectors; see {@link effects.dispatchEffects}. */
  dispatchEffects(options: effects.DispatchEffectsOptions): Promise<effects.DispatchEffectsResult> {
    return effects.dispatchEffects(this, options);
  }
}

/** `E_LOCKED` naming the first locked slot, field or module `next` changes compared with `previous`. */
async function assertLocksKept(hub: Hub, previous: Draft, next: Draft): Promise<void> {
  const template = await hub.template(next.template.id, next.template.version);
  const locked = async (d: Draft) => (await validationOf(hub, template, d)).filter((x) => LOCK_RULES.has(x.ruleId));
  const before = new Set((await locked(previous)).map(lockKey));
  const broken = (await locked(next)).filter((d) => !before.has(lockKey(d)));
  const first = broken[0];
  if (first === undefined) return;
  throw new HubspokeError('E_LOCKED', `${lockPath(first)}: ${first.message}`, {
    path: lockPath(first),
    details: {
      slots: broken.map((d) => ({
        path: lockPath(d),
        ruleId: d.ruleId,
        ...(d.location.instanceId === undefined ? {} : { instanceId: d.location.instanceId }),
        ...(d.location.slotId === undefined ? {} : { slotId: d.location.slotId }),
        ...(d.location.locale === undefined ? {} : { locale: d.location.locale }),
      })),
    },
    hint: 'the template locks it; ask the hub for a template version that opens it',
  });
}

/** The Hub constructor's arguments, checked in O(1) (use loadHub or openHub); returns `env`. */
function checkHubArgs(source: unknown, open: unknown, dir: unknown, env: unknown): Record<string, string | undefined> {
  checkArgs('Hub', ['source:object', 'open:function', 'dir:string', 'env:object'], [source, open, dir, env]);
  return env as Record<string, string | undefined>;
}

/** Loads the hub a `hubspoke.config.*` describes (found in `cwd` or above); drafts are its files. */
export async function loadHub(options: LoadHubOptions = {}): Promise<Hub> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const loaded = await loadConfig({ cwd, file: options.config });
  const source = new FolderSource(loaded, cwd);
  const given = options.database;
  if (
    given !== undefined &&
    typeof given !== 'string' &&
    typeof (given as Partial<HubDatabase> | null)?.sql?.query !== 'function'
  )
    throw new HubspokeError(
      'E_VALIDATION',
      'database: expected a URL, a folder, memory: or a database from openDatabase',
      {
        path: 'database',
      },
    );
  const open = async () => {
    if (typeof given === 'object') return openState({ ...given, close: () => Promise.resolve() }, false);
    const target = resolveDatabase({
      given,
      configured: loaded.config.database.url,
      cwd,
      configDir: loaded.dir,
      env,
    });
    return openState(
      await openDatabase(target, options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      true,
    );
  };
  return new Hub(source, open, loaded.dir, env, options.audit ?? auditFromEnv(env, loaded.dir));
}

/** Opens a hub whose definition and drafts live in a HubStore (what `hubspoke serve` runs on). */
export async function openHub(options: OpenHubOptions): Promise<Hub> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const owned = typeof options.database === 'string';
  const database =
    typeof options.database === 'string'
      ? await openDatabase(
          resolveDatabase({ given: options.database, cwd, configDir: cwd, env }),
          options.poolSize === undefined ? {} : { poolSize: options.poolSize },
        )
      : options.database;
  const closes = owned || options.closeDatabase === true;
  const state = await openState(closes ? database : { ...database, close: () => Promise.resolve() }, closes);
  return new Hub(
    new StoreSource(state.store),
    () => Promise.resolve(state),
    cwd,
    env,
    options.audit ?? auditFromEnv(env, cwd),
  );
}

async function openState(database: HubDatabase, closeOnFailure: boolean): Promise<HubState> {
  try {
    // PGlite (a folder or memory) is this process's alone: the store may keep drafts in memory.
    const store = await HubStore.open(database.sql, { exclusive: database.target.kind !== 'postgres' });
    const events = await SqlEventStore.open(database.sql);
    const publishStore = createSqlPublishStore(database.sql);
    return { database, store, events, publishStore };
  } catch (e) {
    if (closeOnFailure) await database.close().catch(() => undefined);
    throw withDatabaseHint(e);
  }
}

/**
 * The methods' arguments (see `guardMethods`): a Hub, which is exported, throws only HubspokeErrors
 * whatever a caller passes, and refuses a wrong type or a 10 MB name before any work. The free
 * functions (`submit(hub, …)` for `hub.submit(…)`) take the same arguments after the hub.
 */
export const HUB_METHOD_ARGS = {
  trustIssuer: ['issuer:string'],
  principal: ['id:string'],
  template: ['id:string', 'version:number', 'at:object?'],
  latestTemplate: ['id:string', 'path:string?'],
  publishTemplate: ['principal:object', 'mjml:string'],
  saveBrandKit: ['principal:object', 'input:any', 'expectedVersion:number?'],
  checkPrincipal: ['principal:any'],
  authorize: ['principal:object', 'action:string', 'resource:object?'],
  draft: ['ref:string'],
  drafts: ['refs:array?'],
  mayView: ['principal:object', 'draft:object'],
  getDraft: ['principal:object', 'id:string'],
  getDraftVersion: ['principal:object', 'id:string', 'version:number'],
  listDrafts: ['principal:object', 'query:object?'],
  createDraft: ['principal:object', 'input:object'],
  saveDraft: ['actor:object', 'input:any', 'options:object'],
  startNewVersion: ['principal:object', 'id:string', 'options:object?'],
  assertLocksKept: ['previous:object', 'next:object'],
  lintDrafts: ['refs:array?', 'options:object?'],
  checkDraft: ['draft:any', 'options:object?'],
  submit: ['principal:object', 'draftRef:string', 'options:object?'],
  decide: ['principal:object', 'ref:string', 'input:object'],
  comment: ['principal:object', 'ref:string', 'input:object'],
  status: ['principal:object', 'ref:string'],
  listSubmissions: ['principal:object', 'query:object?', 'page:object?'],
  due: ['now:object?'],
  reviewView: ['principal:object', 'submissionId:string'],
  renderAll: ['draft:any', 'options:object?'],
  previewRender: ['draftRef:string', 'locale:string', 'contact:string?'],
  upgradeDraft: ['principal:object', 'ref:string', 'options:object?'],
  suggestSubjects: ['principal:object', 'input:object'],
  translateLocale: ['principal:object', 'input:object'],
  suggestAltText: ['principal:object', 'input:object'],
  push: ['principal:object', 'draftRef:string', 'options:object?'],
  checkConnector: ['name:string?', 'options:object?'],
  importMetrics: ['principal:object', 'inputs:array', 'options:object?'],
  pullMetrics: ['principal:object', 'options:object'],
  okrReport: ['options:object?'],
  listEffects: ['query:object?'],
  requeueEffect: ['id:string'],
  dispatchEffects: ['options:object'],
} as const satisfies Record<string, readonly ArgSpec[]>;

guardMethods('Hub', Hub.prototype, HUB_METHOD_ARGS, { content: ['mjml'], sync: ['trustIssuer'] });
