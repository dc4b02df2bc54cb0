import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  HubspokeError,
  isHubspokeError,
  parse,
  parseBrandKit,
  parseDraft,
  parseOkrSet,
  parseWorkflowDef,
  PrincipalSchema,
  resolveOperatingModel,
  type BrandKit,
  type Draft,
  type OkrSet,
  type OperatingModel,
  type Principal,
  type Template,
  type WorkflowDef,
} from '@hubspoke/core';
import { parseTemplate } from '@hubspoke/template-engine';
import { readJson, readText } from './config/files.js';
import { fsError } from './fs-error.js';
import type { LoadedConfig } from './config/load-config.js';

export interface LoadedDraft {
  draft: Draft;
  file: string;
}

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

/** Memoises one async load. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
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
 * The hub as the config describes it: brand kit, templates, workflow, operating model, people,
 * drafts and OKRs, each read and validated on first use.
 */
export class Project {
  readonly config: LoadedConfig['config'];
  readonly dir: string;

  /** `cwd` is where the command runs: paths given on the command line are relative to it. */
  constructor(
    readonly loaded: LoadedConfig,
    readonly cwd: string = process.cwd(),
  ) {
    this.config = loaded.config;
    this.dir = loaded.dir;
  }

  /** A path from the config: relative to the config file. */
  path(relative: string): string {
    return this.loaded.resolve(relative);
  }

  /** A path from the command line: relative to where the command runs. */
  arg(relative: string): string {
    return path.resolve(this.cwd, relative);
  }

  /** A path shown to people: relative to where the config lives. */
  show(file: string): string {
    const rel = path.relative(this.dir, file);
    return rel.startsWith('..') ? file : rel;
  }

  readonly brandKit = once<BrandKit>(() =>
    inFile(this.config.brandKit, async () =>
      parseBrandKit(await readJson(this.path(this.config.brandKit), 'brandKit')),
    ),
  );

  readonly workflow = once<WorkflowDef>(() =>
    inFile(this.config.workflow, async () =>
      parseWorkflowDef(await readJson(this.path(this.config.workflow), 'workflow')),
    ),
  );

  readonly okrs = once<OkrSet>(async () => {
    if (this.config.okrs === undefined)
      throw new HubspokeError('E_NOT_FOUND', 'config.okrs: no OKR file is configured', {
        hint: 'add "okrs": "okrs.json" to hubspoke.config',
      });
    const file = this.config.okrs;
    return inFile(file, async () => parseOkrSet(await readJson(this.path(file), 'okrs')));
  });

  readonly operatingModel = once<OperatingModel>(async () => {
    const setting = this.config.operatingModel;
    if (setting === 'centralized' || setting === 'decentralized' || setting === 'hybrid')
      return resolveOperatingModel(setting);
    return resolveOperatingModel(await readJson(this.path(setting), 'operatingModel'));
  });

  readonly principals = once<Principal[]>(() =>
    Promise.resolve(this.config.principals.map((p, i) => parse(PrincipalSchema, p, `config.principals[${i}]`))),
  );

  /** The principal a command acts as (`--as`, else `HUBSPOKE_AS`). */
  async principal(id: string | undefined): Promise<Principal> {
    const people = await this.principals();
    if (id === undefined || id === '') {
      throw new HubspokeError(
        'E_VALIDATION',
        `--as: say who is acting, one of ${people.map((p) => p.id).join(', ') || '(no principals in config)'}`,
        { hint: 'pass --as <id> or set HUBSPOKE_AS' },
      );
    }
    const found = people.find((p) => p.id === id);
    if (found === undefined)
      throw new HubspokeError('E_NOT_FOUND', `--as: no principal "${id}" in config.principals`, {
        hint: `known: ${people.map((p) => p.id).join(', ')}`,
      });
    return found;
  }

  /** Every template in the templates folder, parsed; any error-level diagnostic fails with its location. */
  readonly templates = once<Template[]>(async () => {
    const files = await listFiles(this.path(this.config.templates), '.mjml', 'config.templates');
    const templates: Template[] = [];
    for (const file of files) {
      const result = parseTemplate(await readText(file, 'template'), {
        file: this.show(file),
        id: path.basename(file, '.mjml'),
      });
      const error = result.diagnostics.find((d) => d.severity === 'error');
      if (!result.ok || error !== undefined) {
        const where = error?.location.line === undefined ? '' : `:${error.location.line}:${error.location.column ?? 1}`;
        throw new HubspokeError(
          'E_VALIDATION',
          `template ${this.show(file)}${where}: ${error?.message ?? 'cannot be parsed'}`,
          { path: file, details: { diagnostics: result.diagnostics } },
        );
      }
      templates.push(result.template);
    }
    return templates;
  });

  async template(id: string, version: number): Promise<Template> {
    const all = await this.templates();
    const found = all.find((t) => t.id === id && t.version === version);
    if (found !== undefined) return found;
    const versions = all.filter((t) => t.id === id).map((t) => t.version);
    throw new HubspokeError(
      'E_NOT_FOUND',
      `template ${id}@${version}: not in ${this.config.templates}/${versions.length > 0 ? ` (versions there: ${versions.join(', ')})` : ''}`,
      {
        hint:
          versions.length > 0
            ? 'upgrade the draft to a published version'
            : "add the template file, or fix the draft's template id",
      },
    );
  }

  async draftFiles(): Promise<string[]> {
    return listFiles(this.path(this.config.drafts), '.json', 'config.drafts');
  }

  /** A draft by file path or by id (searched in the drafts folder). */
  async draft(ref: string): Promise<LoadedDraft> {
    const candidates = ref.endsWith('.json') ? [this.arg(ref), this.path(ref)] : [];
    for (const file of candidates) {
      try {
        return { draft: await inFile(this.show(file), async () => parseDraft(await readJson(file, 'draft'))), file };
      } catch (e) {
        if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
      }
    }
    for (const file of await this.draftFiles()) {
      const draft = await inFile(this.show(file), async () => parseDraft(await readJson(file, 'draft')));
      if (draft.id === ref) return { draft, file };
    }
    throw new HubspokeError(
      'E_NOT_FOUND',
      `draft "${ref}": no such file, and no draft with that id in ${this.config.drafts}/`,
    );
  }

  /** Drafts named on the command line, or every draft in the drafts folder. */
  async drafts(refs: string[]): Promise<LoadedDraft[]> {
    if (refs.length > 0) return Promise.all(refs.map((r) => this.draft(r)));
    const files = await this.draftFiles();
    return Promise.all(
      files.map(async (file) => ({
        draft: await inFile(this.show(file), async () => parseDraft(await readJson(file, 'draft'))),
        file,
      })),
    );
  }
}
