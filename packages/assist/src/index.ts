// Providers
export { addUsage, costOf, ZERO_USAGE } from './provider.js';
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
} from './provider.js';
export type { HttpSettings, RetryInfo } from './http.js';
export { createOpenAiCompatibleProvider } from './openai-compatible.js';
export type { OpenAiCompatibleConfig } from './openai-compatible.js';
export { createDeeplTranslator } from './deepl.js';
export type { DeeplConfig } from './deepl.js';
export { createOfflineProvider, OFFLINE_NOTICE, PSEUDO_TRANSLATION_NOTICE } from './offline/offline-provider.js';
export { chatTranslator, TranslationOutputSchema } from './chat-translator.js';
export type {
  AltTextImage,
  AltTextTask,
  AssistTask,
  ContentSuggestionsTask,
  DraftContext,
  SubjectVariantsTask,
  Tone,
  TranslateTask,
} from './tasks.js';

// Guardrails
export { runBrandCheck, passes } from './brand-check.js';
export type { BrandCandidate, BrandCheck, BrandField } from './brand-check.js';
export { cleanModelText, stripUntrusted } from './untrusted-output.js';
export type { CleanOptions, CleanResult } from './untrusted-output.js';
export { findTokens } from './tokens.js';
export type { TokenSpan } from './tokens.js';
export { quoteData, DATA_RULE } from './prompt.js';
export type { CallReport, CallTotals } from './calls.js';

// Tasks
export { suggestSubjectLines, VariantsOutputSchema } from './subject-variants.js';
export type { RejectedVariant, SubjectVariantsOptions, SubjectVariantsResult, Variant } from './subject-variants.js';
export { suggestAltText, applyAltText, lacksAltText, AltTextOutputSchema } from './alt-text.js';
export type { AltTextOptions, AltTextResult, AltTextSuggestion } from './alt-text.js';
export { fileNameWords } from './file-name-words.js';
export { translateDraft } from './translate-draft.js';
export type { TranslateDraftOptions, TranslateDraftResult, UnitResult } from './translate-draft.js';
export { extractUnits, segment, restore } from './units.js';
export type { Placeholder, RestoredUnit, TranslationUnit } from './units.js';
export { suggestContent, SuggestionsOutputSchema } from './content-suggestions.js';
export type { ContentSuggestionsOptions, ContentSuggestionsResult } from './content-suggestions.js';
export { draftContext } from './draft-text.js';

// Translation memory
export { createTranslationMemory, InMemoryTranslationMemory } from './translation-memory.js';
export type { TmEntry, TmLookupOptions, TmMatch, TmQuery, TranslationMemory } from './translation-memory.js';
export { createSqlTranslationMemory } from './sql-translation-memory.js';
export type { SqlTranslationMemoryOptions } from './sql-translation-memory.js';
export { memoryEntriesFromDraft } from './memory-from-draft.js';
