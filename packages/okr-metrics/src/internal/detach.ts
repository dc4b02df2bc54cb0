/**
 * A copy of `text` that does not keep a larger string alive. V8 represents `slice` and
 * `split` results of 13+ characters as views into their parent, so a campaign id kept in
 * a cache or a group key could pin a whole 64 KiB chunk of input. Call it only where a
 * string is stored for long (cache misses, new groups), never per row.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
