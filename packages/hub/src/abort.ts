import { HubspokeError } from '@hubspoke/core';

/** Stops a long operation between steps once `signal` aborted (`E_ABORTED`). */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new HubspokeError('E_ABORTED', 'interrupted', { hint: 'run it again to finish' });
}
