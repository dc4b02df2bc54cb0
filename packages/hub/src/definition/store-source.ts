import {
  HubspokeError,
  parse,
  PrincipalSchema,
  resolveOperatingModel,
  type BrandKit,
  type Draft,
  type OkrSet,
  type OperatingModel,
  type Principal,
  type WorkflowDef,
} from '@hubspoke/core';
import type { LintConfig } from '@hubspoke/brand-rules';
import type { DraftQuery, HubStore } from '../store/hub-store.js';
import type { DraftSource, HubSettings, HubSource, HubTemplate, SourcedDraft } from './source.js';

const DEFAULT_SETTINGS: HubSettings = {
  fieldMap: {},
  sampleContacts: [],
  connectors: {},
  defaultConnector: 'fs',
  outDir: 'out',
};

/** A hub whose definition and drafts live in a {@link HubStore} (after `hubspoke hub import`). */
export class StoreSource implements HubSource {
  readonly kind = 'store';
  readonly drafts: DraftSource;
  private cache = new Map<string, Promise<unknown>>();

  constructor(readonly store: HubStore) {
    this.drafts = {
      get: async (id: string): Promise<SourcedDraft> => {
        const found = await store.getDraft(id);
        if (found === undefined) throw new HubspokeError('E_NOT_FOUND', `draft "${id}": no such draft`, { path: 'id' });
        return found;
      },
      list: (query: DraftQuery) => store.listDrafts(query),
      create: (draft: Draft, actor: string) => store.createDraft(draft, actor),
      update: (draft: Draft, expectedVersion: number, actor: string) =>
        // An approved draft is read-only until a new version is started (checked in the same statement).
        store.updateDraft(draft, expectedVersion, actor, { unlessApproved: true }),
    };
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = load();
      this.cache.set(key, value);
      // A failed read is not remembered: the next use tries again.
      value.catch(() => this.cache.delete(key));
    }
    return value;
  }

  invalidate(): void {
    this.cache.clear();
  }

  settings(): Promise<HubSettings> {
    return this.once('settings', async () => ({
      ...DEFAULT_SETTINGS,
      ...(await this.store.document<Partial<HubSettings>>('settings'))?.body,
    }));
  }

  brandKit(): Promise<BrandKit> {
    return this.once('brandKit', async () => {
      const found = await this.store.brandKit();
      if (found === undefined)
        throw new HubspokeError('E_NOT_FOUND', 'brand kit: the hub store has none yet', {
          hint: 'import a hub folder (`hubspoke hub import <folder>`) or save a brand kit',
        });
      return found.brandKit;
    });
  }

  lintConfig(): Promise<LintConfig | undefined> {
    return this.once('lint', async () => (await this.store.document<LintConfig>('lint'))?.body);
  }

  templates(): Promise<HubTemplate[]> {
    return this.once('templates', async () =>
      (await this.store.templates()).map(({ template, source }) => ({
        template,
        ...(source === undefined ? {} : { source }),
      })),
    );
  }

  workflows(): Promise<WorkflowDef[]> {
    return this.once('workflows', async () => {
      const docs = await this.store.documents<WorkflowDef>('workflow');
      if (docs.length === 0)
        throw new HubspokeError('E_NOT_FOUND', 'workflow: the hub store has none yet', {
          hint: 'import a hub folder (`hubspoke hub import <folder>`)',
        });
      return docs.map((d) => d.body);
    });
  }

  operatingModel(): Promise<OperatingModel> {
    return this.once('operatingModel', async () =>
      resolveOperatingModel((await this.store.document('operatingModel'))?.body ?? 'hybrid'),
    );
  }

  directory(): Promise<Principal[]> {
    return this.once('directory', async () => {
      const people = (await this.store.document<unknown[]>('directory'))?.body ?? [];
      return people.map((p, i) => parse(PrincipalSchema, p, `directory[${i}]`));
    });
  }

  okrs(): Promise<OkrSet> {
    return this.once('okrs', async () => {
      const found = await this.store.document<OkrSet>('okrs');
      if (found === undefined) throw new HubspokeError('E_NOT_FOUND', 'okrs: the hub store has no OKRs');
      return found.body;
    });
  }

  async saveOkrs(okrs: OkrSet, actor: string): Promise<void> {
    await this.store.putDocument('okrs', '', okrs, actor);
    this.cache.delete('okrs');
  }
}
