import { HubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { fsError } from '@hubspoke/hub';
import { UsageError } from './errors.js';
import { formatError } from './format-error.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createTerminal, useColor } from './terminal.js';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

describe('terminal', () => {
  it('uses colour only on a TTY, never with NO_COLOR or --no-color or TERM=dumb', () => {
    expect(useColor({ isTTY: true, write: () => 0 }, {})).toBe(true);
    expect(useColor({ isTTY: false, write: () => 0 }, {})).toBe(false);
    expect(useColor({ isTTY: true, write: () => 0 }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true, write: () => 0 }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: true, write: () => 0 }, {}, true)).toBe(false);
    expect(useColor({ isTTY: true, write: () => 0 }, { TERM: 'dumb' })).toBe(false);
  });

  it('styles text with ANSI codes only when colour is on', () => {
    const tty = createTerminal({ stdout: sink(true).stream, stderr: sink(true).stream, env: {} });
    const pipe = createTerminal({ stdout: sink(false).stream, stderr: sink(false).stream, env: {} });
    expect(tty.style.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(pipe.style.red('x')).toBe('x');
  });

  it('prints untrusted text inert: no cursor moves, titles or fake lines, our own colours kept', () => {
    for (const isTTY of [true, false]) {
      const out = sink(isTTY);
      const t = createTerminal({ stdout: out.stream, stderr: out.stream, env: {} });
      t.out(`${t.style.red('✖')} Spring\u001b]0;pwned\u0007 sale\u001b[2J\rok\u0085\ttab`);
      t.err('line one\nline two');
      const text = out.chunks.join('');
      for (const control of ['\u001b]', '\u0007', '\u001b[2J', '\r', '\u0085']) expect(text).not.toContain(control);
      expect(text).toContain('\ttab');
      expect(text).toContain('line one\nline two');
      expect(text).toContain(isTTY ? '\u001b[31m✖\u001b[39m' : '✖ Spring');
    }
  });

  it('draws a progress bar on an interactive stderr and nothing elsewhere', () => {
    const err = sink(true);
    const t = createTerminal({ stdout: sink(true).stream, stderr: err.stream, env: {} });
    const bar = t.progress('push', 4);
    bar.tick(1);
    bar.tick(4);
    bar.finish();
    expect(err.chunks.join('')).toContain('push [######------------------] 1/4');
    expect(err.chunks.join('')).toContain('4/4');
    const quiet = sink(false);
    const p = createTerminal({ stdout: sink(false).stream, stderr: quiet.stream, env: {} }).progress('push', 4);
    p.tick(2);
    p.finish();
    expect(quiet.chunks).toEqual([]);
  });
});

describe('errors', () => {
  it('formats a HubspokeError as one line with its code and its own hint, mapped to an exit code', () => {
    const f = formatError(
      new HubspokeError(
        'E_AUTH',
        'connectors.marketo.config.clientSecret: environment variable X is not set\nsecond line',
        {
          hint: 'export X=…',
        },
      ),
    );
    expect(f.line).toBe(
      'error E_AUTH: connectors.marketo.config.clientSecret: environment variable X is not set (hint: export X=…)',
    );
    expect(f.exitCode).toBe(EXIT.denied);
    expect(f.stack).toBeUndefined();
  });

  it('adds a hint of its own only where it is true of every error with the code', () => {
    expect(formatError(new HubspokeError('E_VALIDATION', 'draft.name: expected a string, got 5')).line).toBe(
      'error E_VALIDATION: draft.name: expected a string, got 5',
    );
    expect(formatError(new HubspokeError('E_AUTH', 'the database refused the password')).line).not.toContain('hint');
    expect(formatError(new HubspokeError('E_RATE_LIMITED', 'Marketo answered 606')).line).toContain(
      '(hint: the platform asked us to slow down: retry later)',
    );
  });

  it('adds the stack, with causes, only when debugging', () => {
    const f = formatError(new HubspokeError('E_UPSTREAM', 'db down', { cause: new Error('ECONNREFUSED') }), true);
    expect(f.stack).toContain('Caused by: Error: ECONNREFUSED');
  });

  it('maps usage errors to 2 and unknown throwables to 70', () => {
    expect(formatError(new UsageError('unknown command "x"')).exitCode).toBe(EXIT.usage);
    const bug = formatError(new TypeError('oops'));
    expect(bug.exitCode).toBe(EXIT.internal);
    expect(bug.line).toMatch(/^error E_INTERNAL: oops/);
  });

  it('gives every error code a documented exit code', () => {
    expect(exitCodeFor('E_VALIDATION')).toBe(3);
    expect(exitCodeFor('E_FORBIDDEN')).toBe(4);
    expect(exitCodeFor('E_CONFLICT')).toBe(5);
    expect(exitCodeFor('E_UPSTREAM')).toBe(6);
    expect(exitCodeFor('E_UNSUPPORTED')).toBe(7);
    expect(exitCodeFor('E_ABORTED')).toBe(130);
  });
});

describe('fsError', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

  it('maps file-system failures to documented exit codes, never E_INTERNAL', () => {
    expect(fsError(errno('ENOENT'), 'read', 'a.csv').code).toBe('E_NOT_FOUND');
    expect(fsError(errno('ENOTDIR'), 'write', 'x/a.svg').code).toBe('E_VALIDATION');
    expect(fsError(errno('EISDIR'), 'write', 'out').code).toBe('E_VALIDATION');
    expect(fsError(errno('EEXIST'), 'write', 'out').code).toBe('E_VALIDATION');
    expect(fsError(errno('EACCES'), 'write', 'out/x').code).toBe('E_FORBIDDEN');
    expect(fsError(errno('EROFS'), 'write', '/ro/x').code).toBe('E_FORBIDDEN');
    expect(fsError(errno('ENOSPC'), 'write', 'out/x').code).toBe('E_UPSTREAM');
    expect(fsError(new Error('odd'), 'write', 'out/x').message).toBe('cannot write out/x (odd)');
  });

  it('says what it could not do, and to which path, in one line', () => {
    const f = formatError(fsError(errno('ENOTDIR'), 'write', 'notes.txt/okrs.svg'));
    expect(f.line).toMatch(
      /^error E_VALIDATION: cannot write notes\.txt\/okrs\.svg: a file is in the way of a folder \(ENOTDIR\) \(hint: /,
    );
    expect(f.exitCode).toBe(EXIT.invalidInput);
  });
});
