import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  HubspokeError,
  closest,
  operatingModelPresets,
  isHubspokeError,
  parse,
  parseBrandKit,
  parseDraft,
  parseOkrSet,
  parseWorkflowDef,
  PrincipalSchema,
  resolveOperatingModel,
  type Draft,
  type OkrSet,
} from '@hubspoke/core';
import type { LintConfig } from '@hubspoke/brand-rules';
import { folderIncludes, parseTemplate, type IncludeReader } from '@hubspoke/template-engine';
import type { LoadedConfig } from '../config.js';
import { fsError } from '../io/fs-error.js';
import { readJson, readText } from '../io/files.js';
import { writeFileAtomic } from '../io/write-file.js';
import type { DraftQuery } from '../store/hub-store.js';
import type { DraftSource, HubSettings, HubSource, HubTemplate, SourcedDraft } from './source.js';

/** Re-throws a validation error with the file it came from in front of the message. */
export async function inFile<T>(file: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isHubspokeError(e, 'E_VALIDATION') && !e.message.includes(file)) {
      throw new HubspokeError(e.code, `${file}: ${e.message}`, {
        details: e.details,
        cause: e,
        ...(e.path === undefined ? {} : { path: e.path }),
      });
    }
    throw e;
  }
}

/** Memoises one async load until `reset`. */
function cached<T>(load: () => Promise<T>): { get: () => Promise<T>; reset: () => void } {
  let value: Promise<T> | undefined;
  return {
    get: () => (value ??= load()),
    reset: () => {
      value = undefined;
    },
  };
}

async function listFiles(dir: string, extension: string, what: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => n.endsWith(extension))
      .sort()
      .map((n) => path.join(dir, n));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HubspokeError('E_NOT_FOUND', `${what}: no such folder ${dir}`, { path: dir, cause });
    throw fsError(cause, `list ${what}`, dir);
  }
}

/**
 * Parses one template file; any error-level diagnostic fails with its file and line. With
 * `includes`, `mj-include` reads from the hub folder (only), relative to `shown`.
 */
export function parseTemplateFile(text: string, shown: string, id: string, includes?: IncludeReader): HubTemplate {
  const result = parseTemplate(text, { file: shown, id, ...(includes && { includes }) });
  const error = result.diagnostics.find((d) => d.severity === 'error');
  if (!result.ok || error !== undefined) {
    const where = error?.location.line === undefined ? '' : `:${error.location.line}:${error.location.column ?? 1}`;
    throw new HubspokeError('E_VALIDATION', `template ${shown}${where}: ${error?.message ?? 'cannot be parsed'}`, {
      path: shown,
      details: { diagnostics: result.diagnostics },
    });
  }
  return { template: result.template, source: text };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A hub described by `hubspoke.config.*` and the files it names. */
export class FolderSource implements HubSource {
  readonly kind = 'folder';
  readonly drafts: FolderDrafts;
  private readonly parts: { reset: () => void }[] = [];

  /** `cwd` is where the caller runs: draft paths it passes are relative to it. */
  constructor(
    readonly loaded: LoadedConfig,
    readonly cwd: string,
  ) {
    this.drafts = new FolderDrafts(this);
  }

  get config(): LoadedConfig['config'] {
    return this.loaded.config;
  }

  /** A path from the config: relative to the config file. */
  path(relative: string): string {
    return this.loaded.resolve(relative);
  }

  /** The files and folders a draft's rendering and checks read (brand kit, templates, lint config), to watch for edits. */
  definitionPaths(): string[] {
    const { brandKit, templates, lint } = this.config;
    return [this.path(brandKit), this.path(templates), ...(lint === undefined ? [] : [this.path(lint)])];
  }

  /** A path shown to people: relative to where the config lives. */
  show(file: string): string {
    const rel = path.relative(this.loaded.dir, file);
    return rel.startsWith('..') ? file : rel;
  }

  private part<T>(load: () => Promise<T>): () => Promise<T> {
    const c = cached(load);
    this.parts.push(c);
    return c.get;
  }

  invalidate(): void {
    for (const p of this.parts) p.reset();
  }

  settings(): Promise<HubSettings> {
    const { fieldMap, sampleContacts, connectors, defaultConnector, outDir, testSends } = this.config;
    return Promise.resolve({
      fieldMap,
      sampleContacts,
      connectors,
      defaultConnector,
      outDir,
      ...(testSends === undefined ? {} : { testSends }),
    });
  }

  readonly brandKit = this.part(() =>
    inFile(this.config.brandKit, async () =>
      parseBrandKit(await readJson(this.path(this.config.brandKit), 'brandKit')),
    ),
  );

  readonly lintConfig = this.part<LintConfig | undefined>(async () => {
    const file = this.config.lint;
    if (file === undefined) return undefined;
    return inFile(file, async () => (await readJson(this.path(file), 'lint config')) as LintConfig);
  });

  readonly workflows = this.part(async () => [
    await inFile(this.config.workflow, async () =>
      parseWorkflowDef(await readJson(this.path(this.config.workflow), 'workflow')),
    ),
  ]);

  readonly okrs = this.part<OkrSet>(async () => {
    const file = this.config.okrs;
    if (file === undefined)
      throw new HubspokeError('E_NOT_FOUND', 'config.okrs: no OKR file is configured', {
        hint: 'add "okrs": "okrs.json" to hubspoke.config',
      });
    return inFile(file, async () => parseOkrSet(await readJson(this.path(file), 'okrs')));
  });

  /** Writes the OKR file back, keeping its `$schema` line. */
  async saveOkrs(okrs: OkrSet): Promise<void> {
    const relative = this.config.okrs;
    if (relative === undefined) throw new HubspokeError('E_NOT_FOUND', 'config.okrs: no OKR file is configured');
    const file = this.path(relative);
    const raw = (await readJson(file, 'okrs')) as Record<string, unknown>;
    const schema = typeof raw.$schema === 'string' ? { $schema: raw.$schema } : {};
    await writeFileAtomic(file, json({ ...schema, ...okrs }));
    this.invalidate();
  }

  readonly operatingModel = this.part(async () => {
    const setting = this.config.operatingModel;
    if (setting === 'centralized' || setting === 'decentralized' || setting === 'hybrid')
      return resolveOperatingModel(setting);
    // A file is named as one (`….json`, or a path); any other word is a preset name, and a
    // misspelt preset is an error with did-you-mean, never a file that happens not to exist.
    if (!/\.json$/i.test(setting) && !/[\\/]/.test(setting)) {
      const near = closest(setting, Object.keys(operatingModelPresets));
      throw new HubspokeError(
        'E_VALIDATION',
        `config.operatingModel: "${setting}" is not an operating model preset (centralized, decentralized, hybrid)${near === undefined ? '' : `; did you mean "${near}"?`} A custom model is a JSON file named by its path, such as "operating-model.json"`,
        {
          path: 'config.operatingModel',
          details: { value: setting, ...(near === undefined ? {} : { didYouMean: near }) },
        },
      );
    }
    return resolveOperatingModel(await readJson(this.path(setting), 'operatingModel'));
  });

  readonly directory = this.part(() =>
    Promise.resolve(this.config.principals.map((p, i) => parse(PrincipalSchema, p, `config.principals[${i}]`))),
  );

  /** Every template in the templates folder, parsed; any error-level diagnostic fails with its location. */
  readonly templates = this.part(async () => {
    // Files named `_….mjml` are partials for mj-include, not templates.
    const files = (await listFiles(this.path(this.config.templates), '.mjml', 'config.templates')).filter(
      (f) => !path.basename(f).startsWith('_'),
    );
    const includes = folderIncludes(this.loaded.dir);
    const templates: HubTemplate[] = [];
    for (const file of files) {
      const parsed = parseTemplateFile(
        await readText(file, 'template'),
        this.show(file).split(path.sep).join('/'),
        path.basename(file, '.mjml'),
        includes,
      );
      templates.push({ ...parsed, file });
    }
    return templates;
  });
}

/** Drafts as JSON files in the config's drafts folder. */
export class FolderDrafts implements DraftSource {
  constructor(private readonly hub: FolderSource) {}

  private get dir(): string {
    return this.hub.path(this.hub.config.drafts);
  }

  files(): Promise<string[]> {
    return listFiles(this.dir, '.json', 'config.drafts');
  }

  private async read(file: string): Promise<SourcedDraft> {
    const draft = await inFile(this.hub.show(file), async () => parseDraft(await readJson(file, 'draft')));
    let updatedAt = new Date(0).toISOString();
    try {
      updatedAt = (await stat(file)).mtime.toISOString();
    } catch {
      // read just now; a vanished file keeps the epoch
    }
    return {
      draft,
      version: draft.version,
      status: 'draft',
      createdAt: updatedAt,
      updatedAt,
      updatedBy: draft.author,
      file,
    };
  }

  /** A draft by file path (relative to where the caller runs, or to the config) or by id. */
  async get(ref: string): Promise<SourcedDraft> {
    const candidates = ref.endsWith('.json') ? [path.resolve(this.hub.cwd, ref), this.hub.path(ref)] : [];
    for (const file of candidates) {
      try {
        return await this.read(file);
      } catch (e) {
        if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
      }
    }
    const byName = path.join(this.dir, `${ref}.json`);
    if (!ref.endsWith('.json') && /^[A-Za-z0-9._-]+$/.test(ref)) {
      try {
        const found = await this.read(byName);
        if (found.draft.id === ref) return found;
      } catch (e) {
        if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
      }
    }
    for (const file of await this.files()) {
      if (file === byName) continue;
      const found = await this.read(file);
      if (found.draft.id === ref) return found;
    }
    throw new HubspokeError(
      'E_NOT_FOUND',
      `draft "${ref}": no such file, and no draft with that id in ${this.hub.config.drafts}/`,
    );
  }

  async list(query: DraftQuery = {}): Promise<SourcedDraft[]> {
    const all = await Promise.all((await this.files()).map((f) => this.read(f)));
    const matching = all.filter(
      ({ draft }) =>
        (query.region === undefined || draft.region === query.region) &&
        (query.team === undefined || draft.team === query.team) &&
        (query.author === undefined || draft.author === query.author) &&
        (query.templateId === undefined || draft.template.id === query.templateId),
    );
    const offset = query.offset ?? 0;
    return matching.slice(offset, offset + (query.limit ?? matching.length));
  }

  async create(draft: Draft): Promise<SourcedDraft> {
    const file = path.join(this.dir, `${draft.id}.json`);
    try {
      await this.get(draft.id);
      throw new HubspokeError('E_CONFLICT', `draft ${draft.id} already exists`, {
        path: 'id',
        details: { reason: 'exists', draftId: draft.id },
      });
    } catch (e) {
      if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
    }
    await writeFileAtomic(file, json(draft));
    return this.read(file);
  }

  /** Writes the draft over its file if the file is still at `expectedVersion` (the draft's version is kept as given). */
  async update(draft: Draft, expectedVersion: number): Promise<SourcedDraft> {
    const current = await this.get(draft.id);
    if (current.version !== expectedVersion)
      throw new HubspokeError(
        'E_CONFLICT',
        `draft ${draft.id}: its file is at version ${current.version}, not ${expectedVersion}`,
        { details: { reason: 'stale', draftId: draft.id, expectedVersion, currentVersion: current.version } },
      );
    const file = current.file ?? path.join(this.dir, `${draft.id}.json`);
    await writeFileAtomic(file, json(draft));
    return this.read(file);
  }
}
