import fc from 'fast-check';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { newsletter, newsletterDraft } from '../__fixtures__/fixtures.js';
import { createRenderSession, preparePreview } from '../index.js';

describe('the methods of the objects template-engine makes, with hostile input', () => {
  it('a render session (preview and a platform dialect) and a prepared email return a value or throw a HubspokeError', async () => {
    const template = newsletter();
    const draft = newsletterDraft(template);
    const methods = {
      ...methodsOf('RenderSession', await createRenderSession(template, draft)),
      ...methodsOf('MarketoSession', await createRenderSession(template, draft, { dialect: 'marketo' })),
      ...methodsOf('PreparedEmail', await preparePreview(template, draft)),
    };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 5 });
    expect(covered.length).toBeGreaterThanOrEqual(7);
    expect(failures).toEqual([]);
  });

  it('quotes a bad field name as a bounded excerpt (a 10 MB name gives a short message)', async () => {
    const template = newsletter();
    const session = await createRenderSession(template, newsletterDraft(template));
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const error = await session.setField(huge as never, 'Hi').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'E_VALIDATION', path: 'field' });
    expect((error as Error).message.length).toBeLessThan(200);
  });
});
