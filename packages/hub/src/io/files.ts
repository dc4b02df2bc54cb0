import { readFile } from 'node:fs/promises';
import { HubspokeError, LineIndex } from '@hubspoke/core';
import { fsError } from './fs-error.js';

/** Reads a UTF-8 file; a missing file is `E_NOT_FOUND` naming what it was for. */
export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HubspokeError('E_NOT_FOUND', `${what}: no such file ${file}`, { path: file, cause });
    throw fsError(cause, `read the ${what}`, file);
  }
}

/** Parses JSON text; a syntax error becomes `E_VALIDATION` with the file, line and column. */
export function parseJsonText(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // V8 names the offset, except when the text ends too early: then it is the end.
    const offset =
      /position (\d+)/.exec(message)?.[1] ?? (message.includes('end of JSON input') ? String(text.length) : undefined);
    const where =
      offset === undefined
        ? ''
        : (() => {
            const { line, column } = new LineIndex(text).position(Number(offset));
            return `:${line}:${column}`;
          })();
    throw new HubspokeError('E_VALIDATION', `${what}: ${file}${where} is not valid JSON (${message})`, {
      path: file,
      cause,
    });
  }
}

export async function readJson(file: string, what: string): Promise<unknown> {
  return parseJsonText(await readText(file, what), file, what);
}
