import type { CommandSpec } from '../program.js';
import { assistCommand } from './assist.js';
import { commentCommand } from './comment.js';
import { decideCommand } from './decide.js';
import { draftCommand } from './draft.js';
import { dueCommand } from './due.js';
import { effectsCommand } from './effects.js';
import { hubCommand } from './hub.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { metricsCommand } from './metrics.js';
import { okrCommand } from './okr.js';
import { previewCommand } from './preview.js';
import { pushCommand } from './push.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { submitCommand } from './submit.js';
import { templateCommand } from './template.js';

/** Every command, in the order `--help` lists them. */
export const commands: CommandSpec[] = [
  initCommand,
  lintCommand,
  renderCommand,
  submitCommand,
  decideCommand,
  commentCommand,
  statusCommand,
  dueCommand,
  effectsCommand,
  pushCommand,
  metricsCommand,
  okrCommand,
  draftCommand,
  templateCommand,
  assistCommand,
  hubCommand,
  serveCommand,
  previewCommand,
];
