import { HubspokeError } from '@hubspoke/core';

/**
 * A file-system failure as a HubspokeError with a documented exit code, so that a wrong path
 * or a read-only folder is one clear line, not an `E_INTERNAL` "bug".
 */
export function fsError(cause: unknown, action: string, file: string): HubspokeError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const because = code ?? (cause instanceof Error ? cause.message : 'unknown error');
  switch (code ?? '') {
    case 'ENOENT':
      return new HubspokeError('E_NOT_FOUND', `cannot ${action} ${file}: no such file or folder`, {
        path: file,
        cause,
        hint: 'check the path; paths on the command line are relative to the current folder',
      });
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
      return new HubspokeError(
        'E_VALIDATION',
        `cannot ${action} ${file}: ${code === 'EISDIR' ? 'it is a folder' : 'a file is in the way of a folder'} (${code})`,
        {
          path: file,
          cause,
          hint: 'pick another path, or move what is in the way',
        },
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new HubspokeError('E_FORBIDDEN', `cannot ${action} ${file}: permission denied (${code})`, {
        path: file,
        cause,
        hint: 'pick a folder you may write to',
      });
    default:
      return new HubspokeError('E_UPSTREAM', `cannot ${action} ${file} (${because})`, { path: file, cause });
  }
}
