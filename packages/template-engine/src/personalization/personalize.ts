import {
  DialectSchema,
  HubspokeError,
  SampleContactSchema,
  parse,
  parseTokens,
  type Diagnostic,
  type Dialect,
  type FieldMap,
} from '@hubspoke/core';
import { diagnostic } from '../diagnostics.js';
import { compileNodes, type CompileIssue, type ContactFields, type OutputContext } from './compile.js';
import { resolveFieldMap } from './field-map.js';

export interface CompilePersonalizationOptions {
  dialect: Dialect;
  /** `html` (content), `attr` (an attribute value) or `text` (subject, preheader, plain-text part). Defaults to `html`. */
  context?: OutputContext;
  fieldMap?: FieldMap;
  /** Preview only: the sample recipient's values by neutral field path. */
  contact?: ContactFields;
}

export interface CompiledPersonalization {
  output: string;
  /** Syntax errors and constructs the dialect cannot express, with offsets into the input. */
  diagnostics: Diagnostic[];
}

/**
 * Compiles one text in the neutral syntax to a dialect, with every literal part escaped for the
 * context. The same compiler `render` uses, for tools that show a token's output.
 */
export function compilePersonalization(text: string, options: CompilePersonalizationOptions): CompiledPersonalization {
  const input: unknown = text;
  if (typeof input !== 'string')
    throw new HubspokeError('E_VALIDATION', `text: expected a string, got ${input === null ? 'null' : typeof input}`, {
      path: 'text',
    });
  const dialect = parse(DialectSchema, options.dialect, 'options.dialect');
  const context = options.context ?? 'html';
  if (!['html', 'attr', 'text'].includes(context))
    throw new HubspokeError(
      'E_VALIDATION',
      `options.context: expected html, attr or text, got ${JSON.stringify(context)}`,
      { path: 'options.context' },
    );
  const contact =
    options.contact === undefined
      ? undefined
      : parse(SampleContactSchema.shape.fields, options.contact, 'options.contact');
  const parsed = parseTokens(text);
  const issues: CompileIssue[] = [];
  const output = compileNodes(
    parsed.nodes,
    context,
    { dialect, fieldMap: resolveFieldMap(options.fieldMap), contact },
    issues,
  );
  const diagnostics = [
    ...parsed.errors.map((e) =>
      diagnostic('personalization/syntax', 'error', `Personalization: ${e.message}`, { start: e.start, end: e.end }),
    ),
    ...issues.map((i) => diagnostic(i.ruleId, i.severity, i.message, { start: i.start, end: i.end }, i.data)),
  ];
  return { output, diagnostics };
}
