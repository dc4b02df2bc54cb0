import type {
  BrandKit,
  Draft,
  FieldMap,
  HubspokeConfig,
  OkrSet,
  OperatingModel,
  Principal,
  SampleContact,
  Template,
  WorkflowDef,
} from '@hubspoke/core';
import type { LintConfig } from '@hubspoke/brand-rules';
import type { DraftQuery, StoredDraft } from '../store/hub-store.js';

/** The hub's settings that are not documents of their own (from the config file, or stored). */
export interface HubSettings {
  fieldMap: FieldMap;
  sampleContacts: SampleContact[];
  connectors: HubspokeConfig['connectors'];
  defaultConnector: string;
  /** Where the `fs` connector exports by default, relative to the hub folder (`out`). */
  outDir: string;
  /** Seed lists and allowed domains for test sends (`push --test-send`); none configured: test sends are off. */
  testSends?: HubspokeConfig['testSends'];
}

/** A template version with the MJML it was parsed from. */
export interface HubTemplate {
  template: Template;
  source?: string;
  /** The file it came from (folder hubs). */
  file?: string;
}

/** A draft as a hub source holds it, with the file it came from in a folder hub. */
export interface SourcedDraft extends StoredDraft {
  file?: string;
}

/**
 * Where a hub's drafts live: files of a folder (the `version` field is the author's to bump; a
 * save checks the file is still at `expectedVersion`) or the HubStore (each save bumps it).
 */
export interface DraftSource {
  /** A draft by id (or, in a folder hub, by file path). `E_NOT_FOUND` when there is none. */
  get(ref: string): Promise<SourcedDraft>;
  list(query: DraftQuery): Promise<SourcedDraft[]>;
  create(draft: Draft, actor: string): Promise<SourcedDraft>;
  update(draft: Draft, expectedVersion: number, actor: string): Promise<SourcedDraft>;
}

/**
 * Where a hub's definition lives: a folder with `hubspoke.config.*` (what `hubspoke` has always
 * read; each part is read and validated on first use) or a HubStore (what the server serves).
 */
export interface HubSource {
  readonly kind: 'folder' | 'store';
  settings(): Promise<HubSettings>;
  brandKit(): Promise<BrandKit>;
  /** The brand-rules config; undefined means the recommended preset. */
  lintConfig(): Promise<LintConfig | undefined>;
  templates(): Promise<HubTemplate[]>;
  /** Every workflow version in use; new submissions start on the newest. */
  workflows(): Promise<WorkflowDef[]>;
  operatingModel(): Promise<OperatingModel>;
  directory(): Promise<Principal[]>;
  /** `E_NOT_FOUND` when the hub has no OKRs. */
  okrs(): Promise<OkrSet>;
  saveOkrs(okrs: OkrSet, actor: string): Promise<void>;
  readonly drafts: DraftSource;
  /** Forgets what was read, so the next use reads again (after another process changed it). */
  invalidate(): void;
}
