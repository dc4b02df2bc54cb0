import type { CommandSpec } from '../program.js';
import { effectsCommand } from './effects.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { metricsCommand } from './metrics.js';
import { okrCommand } from './okr.js';
import { previewCommand } from './preview.js';
import { pushCommand } from './push.js';
import { renderCommand } from './render.js';
import { commentCommand, decideCommand, dueCommand, statusCommand, submitCommand } from './review.js';

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
  previewCommand,
];
