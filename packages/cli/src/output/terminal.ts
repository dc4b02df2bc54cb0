/** Where a command writes, and how: colour only on a TTY and never with NO_COLOR; JSON on request. */
export interface Terminal {
  readonly color: boolean;
  readonly json: boolean;
  readonly debug: boolean;
  /** Results (stdout). */
  out(text: string): void;
  /** Messages, warnings, progress (stderr). */
  err(text: string): void;
  /** Prints a value as pretty JSON on stdout. */
  printJson(value: unknown): void;
  style: Style;
  progress(label: string, total: number): Progress;
}

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

export interface WritableLike {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface TerminalOptions {
  stdout: WritableLike;
  stderr: WritableLike;
  env: Record<string, string | undefined>;
  json?: boolean;
  debug?: boolean;
  /** `--no-color` */
  noColor?: boolean;
}

const ESC = '\u001b';

function ansi(open: number, close: number, on: boolean) {
  return (s: string) => (on ? `${ESC}[${open}m${s}${ESC}[${close}m` : s);
}

export function useColor(stream: WritableLike, env: Record<string, string | undefined>, noColor = false): boolean {
  if (noColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

// The SGR sequences `ansi` writes.
const SGR = new RegExp(`${ESC}\\[\\d+m`, 'g');
// Control characters in printed text (titles, comments, vendor errors are spoke or remote input)
// could move the cursor, retitle the terminal or fake output; only our own colour codes, tabs and
// newlines pass, the rest show as U+FFFD.
const CONTROL = new RegExp(`${ESC}(?!\\[\\d+m)|[\\u0000-\\u0008\\u000b-\\u001a\\u001c-\\u001f\\u007f-\\u009f]`, 'g');
const inert = (text: string) => text.replace(CONTROL, '\ufffd');

export function createTerminal(options: TerminalOptions): Terminal {
  const color = useColor(options.stdout, options.env, options.noColor);
  const errColor = useColor(options.stderr, options.env, options.noColor);
  // Styled text may go to either stream; each stream drops the codes unless it is a colour terminal.
  const styled = color || errColor;
  const style: Style = {
    bold: ansi(1, 22, styled),
    dim: ansi(2, 22, styled),
    red: ansi(31, 39, styled),
    yellow: ansi(33, 39, styled),
    green: ansi(32, 39, styled),
    cyan: ansi(36, 39, styled),
  };
  return {
    color,
    json: options.json ?? false,
    debug: options.debug ?? false,
    out: (text) => options.stdout.write(`${color ? inert(text) : inert(text).replace(SGR, '')}\n`),
    err: (text) => options.stderr.write(`${errColor ? inert(text) : inert(text).replace(SGR, '')}\n`),
    printJson: (value) => options.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    style,
    progress: (label, total) => createProgress(options.stderr, label, total, errColor && options.stderr.isTTY === true),
  };
}

/** A one-line progress bar on an interactive stderr; silent elsewhere so logs stay clean. */
function createProgress(stream: WritableLike, label: string, total: number, interactive: boolean): Progress {
  let last = -1;
  const width = 24;
  return {
    tick(done) {
      if (!interactive || total <= 0) return;
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (pct === last) return;
      last = pct;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    },
    finish() {
      if (interactive && last >= 0) stream.write('\n');
    },
  };
}
