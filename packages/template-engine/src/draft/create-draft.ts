import { DraftSchema, parse, type Draft, type Template } from '@hubspoke/core';
import { compileTemplate } from '../template/compiled.js';
import { initialModules } from './summarize-changes.js';

export interface CreateDraftOptions {
  id: string;
  name: string;
  author: string;
  /** Defaults to the template's default locale. */
  defaultLocale?: string;
}

/** A new draft of a template: its initial modules, no content yet (every slot shows its default). */
export function createDraft(template: Template, options: CreateDraftOptions): Draft {
  const compiled = compileTemplate(template);
  const locale = options.defaultLocale ?? compiled.template.defaultLocale;
  return parse(
    DraftSchema,
    {
      id: options.id,
      name: options.name,
      author: options.author,
      template: { id: compiled.template.id, version: compiled.template.version },
      defaultLocale: locale,
      modules: initialModules(compiled),
      content: { [locale]: { slots: {} } },
    },
    'draft',
  );
}
