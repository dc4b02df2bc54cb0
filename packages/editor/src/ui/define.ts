import { HubspokeApp } from './hubspoke-app.js';
import { HubspokeEditor } from './hubspoke-editor.js';
import { HubspokeInbox, HubspokeReview } from './hubspoke-review.js';
import { HsModuleList } from './module-list.js';
import { HsPreview } from './preview.js';
import { HsSlotField } from './slot-field.js';
import { HsTokenEditor } from './token-editor.js';
import { HsTokenForm } from './token-form.js';

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['hubspoke-app', HubspokeApp],
  ['hubspoke-editor', HubspokeEditor],
  ['hubspoke-review', HubspokeReview],
  ['hubspoke-inbox', HubspokeInbox],
  ['hs-module-list', HsModuleList],
  ['hs-slot-field', HsSlotField],
  ['hs-token-editor', HsTokenEditor],
  ['hs-token-form', HsTokenForm],
  ['hs-preview', HsPreview],
];

/**
 * Registers the custom elements (`<hubspoke-editor>`, `<hubspoke-review>`, `<hubspoke-inbox>`
 * and their parts). Call once before using them; calling again is harmless.
 */
export function defineHubspokeElements(registry: CustomElementRegistry = customElements): void {
  for (const [name, element] of ELEMENTS) if (!registry.get(name)) registry.define(name, element);
}
