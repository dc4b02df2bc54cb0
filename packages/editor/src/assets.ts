import { fileURLToPath } from 'node:url';
import { checkArgs, HubspokeError, type Draft, type Template } from '@hubspoke/core';
import { skeletonFor } from '@hubspoke/template-engine';
import type { Skeleton } from '@hubspoke/template-engine/fill';

/** The folder of the built hub web app (index.html and assets/), for a server to serve. */
export function editorAppDir(): string {
  return fileURLToPath(new URL('./app/', import.meta.url));
}

/**
 * What a server answers to the editor's `skeleton(request)`: the skeleton of a draft's structure
 * in one locale, compiled with mjml here (the browser fills it on every keystroke), as plain JSON.
 */
export async function compileSkeleton(
  template: Template,
  request: { draft: Draft; locale: string; annotate: boolean },
): Promise<Skeleton> {
  checkArgs('compileSkeleton', ['template:object', 'request:object'], [template, request]);
  const given = request as { draft?: unknown; locale?: unknown; annotate?: unknown };
  if (typeof given.draft !== 'object' || given.draft === null || typeof given.locale !== 'string')
    throw new HubspokeError('E_VALIDATION', 'Invalid request: expected { draft, locale, annotate }', {
      path: 'request',
    });
  const skeleton = await skeletonFor(template, request.draft, { locale: request.locale, annotate: request.annotate });
  return JSON.parse(JSON.stringify(skeleton)) as Skeleton;
}
