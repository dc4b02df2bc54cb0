// Providers
export { addUsage, costOf } from './public-functions.js';
export { ZERO_USAGE } from './providers/provider.js';
export type {
  CallFacts,
  ChatMessage,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  ContentPart,
  Cost,
  JsonRequest,
  Pricing,
  Provider,
  ProviderInfo,
  TextRequest,
  TranslateRequest,
  TranslateResult,
  TranslateUnitInput,
  Translator,
  Usage,
} from './providers/provider.js';
export type { HttpSettings, RetryInfo } from './providers/http.js';
export { createOpenAiCompatibleProvider } from './providers/openai-compatible.js';
export type { OpenAiCompatibleConfig } from './providers/openai-compatible.js';
export { createDeeplTranslator } from './providers/deepl.js';
export type { DeeplConfig } from './providers/deepl.js';
export {
  createOfflineProvider,
  OFFLINE_NOTICE,
  PSEUDO_TRANSLATION_NOTICE,
} from './providers/offline/offline-provider.js';
export { chatTranslator } from './public-functions.js';
export { TranslationOutputSchema } from './providers/chat-translator.js';
export type {
  AltTextImage,
  AltTextTask,
  AssistTask,
  ContentSuggestionsTask,
  DraftContext,
  SubjectVariantsTask,
  Tone,
  TranslateTask,
} from './tasks/tasks.js';

// Guardrails
export { runBrandCheck } from './tasks/brand-check.js';
export { passes } from './public-functions.js';
export type { BrandCandidate, BrandCheck, BrandField } from './tasks/brand-check.js';
export { cleanModelText, stripUntrusted } from './public-functions.js';
export type { CleanOptions, CleanResult } from './tasks/untrusted-output.js';
export { findTokens } from './public-functions.js';
export type { TokenSpan } from './text/tokens.js';
export { quoteData } from './public-functions.js';
export { DATA_RULE } from './tasks/prompt.js';
export type { CallReport, CallTotals } from './tasks/calls.js';

// Tasks
export { suggestSubjectLines, VariantsOutputSchema } from './tasks/subject-variants.js';
export type {
  RejectedVariant,
  SubjectVariantsOptions,
  SubjectVariantsResult,
  Variant,
} from './tasks/subject-variants.js';
export { suggestAltText, applyAltText, AltTextOutputSchema } from './tasks/alt-text.js';
export { lacksAltText } from './public-functions.js';
export type { AltTextOptions, AltTextResult, AltTextSuggestion } from './tasks/alt-text.js';
export { fileNameWords } from './public-functions.js';
export { translateDraft } from './tasks/translate-draft.js';
export type { TranslateDraftOptions, TranslateDraftResult, UnitResult } from './tasks/translate-draft.js';
export { extractUnits, segment, restore } from './public-functions.js';
export type { Placeholder, RestoredUnit, TranslationUnit } from './text/units.js';
export { suggestContent, SuggestionsOutputSchema } from './tasks/content-suggestions.js';
export type { ContentSuggestionsOptions, ContentSuggestionsResult } from './tasks/content-suggestions.js';
export { draftContext } from './public-functions.js';

// Translation memory
export { createTranslationMemory, InMemoryTranslationMemory } from './memory/translation-memory.js';
export type { TmEntry, TmLookupOptions, TmMatch, TmQuery, TranslationMemory } from './memory/translation-memory.js';
export { createSqlTranslationMemory } from './memory/sql-translation-memory.js';
export type { SqlTranslationMemoryOptions } from './memory/sql-translation-memory.js';
export { memoryEntriesFromDraft } from './memory/memory-from-draft.js';
