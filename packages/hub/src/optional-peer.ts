import { HubspokeError } from '@hubspoke/core';

/** Whether `cause` says that the package `name` could not be found (ESM or CommonJS). */
export function isMissingPackage(cause: unknown, name: string): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    cause instanceof Error &&
    cause.message.includes(`'${name}`)
  );
}

/**
 * Loads an optional peer dependency (`pg`, `@electric-sql/pglite`): when it is not installed,
 * `E_UNSUPPORTED` names the package, what needs it, and how to install it.
 */
export async function optionalPeer<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    if (!isMissingPackage(cause, name)) throw cause;
    throw new HubspokeError('E_UNSUPPORTED', `${purpose} needs the package ${name}, which is not installed`, {
      cause,
      hint: `install it beside Hubspoke: npm install ${name}`,
      details: { package: name },
    });
  }
}
