import { FieldMapSchema, HubspokeError, parse, type Dialect, type FieldMap } from '@hubspoke/core';

/** Platform dialects (everything but `preview`, which reads sample contacts by neutral path). */
export type PlatformDialect = Exclude<Dialect, 'preview'>;

export const PLATFORM_DIALECTS: readonly PlatformDialect[] = ['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'];

/**
 * Names of common contact fields on each platform; a field map in config overrides or extends
 * them. Eloqua field merges are per-instance assets, so Eloqua has no defaults.
 */
export const DEFAULT_FIELD_MAP: Readonly<Record<PlatformDialect, Readonly<Record<string, string>>>> = {
  marketo: {
    'contact.firstName': 'lead.First Name',
    'contact.lastName': 'lead.Last Name',
    'contact.email': 'lead.Email Address',
    'contact.company': 'lead.Company',
    'contact.country': 'lead.Country',
    'contact.city': 'lead.City',
    'contact.jobTitle': 'lead.Job Title',
  },
  eloqua: {},
  sfmc: {
    'contact.firstName': 'FirstName',
    'contact.lastName': 'LastName',
    'contact.email': 'EmailAddress',
    'contact.company': 'Company',
    'contact.country': 'Country',
    'contact.city': 'City',
    'contact.jobTitle': 'JobTitle',
  },
  hubspot: {
    'contact.firstName': 'contact.firstname',
    'contact.lastName': 'contact.lastname',
    'contact.email': 'contact.email',
    'contact.company': 'contact.company',
    'contact.country': 'contact.country',
    'contact.city': 'contact.city',
    'contact.jobTitle': 'contact.jobtitle',
  },
  braze: {
    'contact.firstName': '${first_name}',
    'contact.lastName': '${last_name}',
    'contact.email': '${email_address}',
    'contact.country': '${country}',
    'contact.city': '${city}',
  },
};

/**
 * What a platform field reference may look like. The map is hub config, but it is pasted into
 * generated code, so it is held to the platform's identifier syntax.
 */
const REFERENCE_SYNTAX: Record<PlatformDialect, { pattern: RegExp; example: string }> = {
  marketo: {
    pattern: /^(?:lead|company|my|member|program|campaign|system|trigger)\.[A-Za-z0-9][A-Za-z0-9 _().-]{0,79}$/,
    example: '"lead.First Name"',
  },
  eloqua: { pattern: /^[A-Za-z][A-Za-z0-9_]{0,99}$/, example: '"FirstName1" (the field merge\'s syntax name)' },
  sfmc: { pattern: /^[A-Za-z][A-Za-z0-9 _-]{0,99}$/, example: '"FirstName"' },
  hubspot: { pattern: /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+){1,3}$/, example: '"contact.firstname"' },
  braze: {
    pattern: /^(?:\$\{[a-z_][a-z0-9_]*\}|custom_attribute\.\$\{[A-Za-z0-9_ ]{1,100}\})$/,
    example: '"${first_name}" or "custom_attribute.${tier}"',
  },
};

export type ResolvedFieldMap = Readonly<Record<PlatformDialect, Readonly<Record<string, string>>>>;

const resolvedCache = new WeakMap<object, ResolvedFieldMap>();
let defaultResolved: ResolvedFieldMap | undefined;

/**
 * Validates a field map (core `FieldMap`) and layers it over {@link DEFAULT_FIELD_MAP}.
 * Throws `E_VALIDATION` naming the bad entry, e.g. `fieldMap.braze["contact.tier"]`.
 */
export function resolveFieldMap(input?: FieldMap): ResolvedFieldMap {
  if (input === undefined) return (defaultResolved ??= { ...DEFAULT_FIELD_MAP });
  const cached = resolvedCache.get(input);
  if (cached) return cached;
  const map = parse(FieldMapSchema, input, 'fieldMap');
  const resolved = {} as Record<PlatformDialect, Record<string, string>>;
  for (const dialect of PLATFORM_DIALECTS) {
    const entries = map[dialect] ?? {};
    for (const [field, reference] of Object.entries(entries)) {
      const syntax = REFERENCE_SYNTAX[dialect];
      if (!syntax.pattern.test(reference)) {
        throw new HubspokeError(
          'E_VALIDATION',
          `fieldMap.${dialect}["${field}"]: expected a ${dialect} field reference like ${syntax.example}, got "${reference}"`,
          {
            path: `fieldMap.${dialect}["${field}"]`,
            details: { dialect, field, reference },
          },
        );
      }
    }
    resolved[dialect] = { ...DEFAULT_FIELD_MAP[dialect], ...entries };
  }
  resolvedCache.set(input, resolved);
  return resolved;
}
