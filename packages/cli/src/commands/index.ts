import type { CommandSpec } from '../program.js';

/** Every command, in the order `--help` lists them. */
export const commands: CommandSpec[] = [];
