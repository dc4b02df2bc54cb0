import { guarded, HubspokeError, toHubspokeError, type ArgSpec } from '@hubspoke/core';

/** Longest id, key, name or reference a guarded method takes: a 10 MB one is refused before any work. */
export const MAX_NAME_LENGTH = 4_096;

/**
 * Wraps each named method of `prototype` with core's `guarded` (arguments checked first, a raw
 * error still thrown becomes `E_INTERNAL` with the cause) and bounds its string arguments, so an
 * exported class throws only HubspokeErrors whatever a caller passes. Arguments named in `content`
 * (MJML, text) are data, not names, and may be long. A method returns a promise, so it refuses by
 * rejecting, unless it is named in `sync`.
 */
export function guardMethods(
  label: string,
  prototype: object,
  table: Readonly<Record<string, readonly ArgSpec[]>>,
  { content = [], sync = [] }: { content?: readonly string[]; sync?: readonly string[] } = {},
): void {
  const methods = prototype as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, specs] of Object.entries(table)) {
    const impl = methods[name];
    if (typeof impl !== 'function') throw new HubspokeError('E_INTERNAL', `${label}.${name}: no such method to guard`);
    const fn = `${label}.${name}`;
    const checked = guarded(fn, specs, impl);
    const names = specs.map((spec) => {
      const argument = spec.slice(0, spec.lastIndexOf(':'));
      return /:string\??$/.test(spec) && !content.includes(argument) ? argument : undefined;
    });
    const call = function (this: unknown, args: unknown[]): unknown {
      for (const [i, value] of args.entries()) {
        const argument = names[i];
        if (argument !== undefined && typeof value === 'string' && value.length > MAX_NAME_LENGTH)
          throw new HubspokeError(
            'E_VALIDATION',
            `Invalid ${argument}: ${fn} expected at most ${MAX_NAME_LENGTH} characters, got ${value.length}`,
            { path: argument },
          );
      }
      return checked.apply(this, args);
    };
    const rejects = !sync.includes(name);
    const bounded = function (this: unknown, ...args: unknown[]): unknown {
      if (!rejects) return call.call(this, args);
      try {
        return call.call(this, args);
      } catch (error) {
        return Promise.reject(toHubspokeError(error));
      }
    };
    Object.defineProperty(bounded, 'name', { value: name });
    Object.defineProperty(bounded, 'length', { value: impl.length });
    methods[name] = bounded;
  }
}
