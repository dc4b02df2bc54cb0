import { HubspokeError } from './errors/hubspoke-error.js';

/** The domain of an address, lower-cased (the part after the last `@`). */
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Whether a test send may go to `address`: its domain is exactly one of `allowedDomains`. */
export function isAllowedRecipient(address: string, allowedDomains: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = domainOf(address);
  return allowedDomains.some((allowed) => allowed.toLowerCase() === domain);
}

/**
 * Refuses a test send with a recipient outside the allowed domains (`E_FORBIDDEN`, naming the
 * first such address and its index under `path`); with no allowed domains at all, every test
 * send is refused. The one rule the hub and every connector apply.
 */
export function assertTestRecipients(
  recipients: readonly string[],
  allowedDomains: readonly string[] | undefined,
  path = 'recipients',
): void {
  if (allowedDomains === undefined || allowedDomains.length === 0)
    throw new HubspokeError(
      'E_FORBIDDEN',
      'Test sends are off: no allowed test-send domains are configured (testSends.allowedDomains)',
      { path: 'testSends.allowedDomains' },
    );
  const index = recipients.findIndex((address) => !isAllowedRecipient(address, allowedDomains));
  if (index >= 0)
    throw new HubspokeError(
      'E_FORBIDDEN',
      `${path}[${index}]: ${recipients[index] ?? ''} is outside the allowed test-send domains (${allowedDomains.join(', ')})`,
      { path: `${path}[${index}]`, details: { allowedDomains: [...allowedDomains] } },
    );
}
