/**
 * What a PNG file declares about transparency, read from its chunk headers only (no
 * decompression, so it runs anywhere and costs nothing):
 *
 * - `alpha-channel`: colour type 4 or 6 (grey or RGB with alpha). The file *can* hold transparent
 *   pixels; whether any pixel is actually transparent needs the decoded image, which this does not
 *   read. Logos exported with an alpha channel almost always use it.
 * - `transparent-color`: a `tRNS` chunk (one colour, or palette entries, are transparent).
 * - `opaque`: neither.
 *
 * Undefined when the bytes are not a PNG (or are cut before the image data).
 */
export type PngTransparency = 'alpha-channel' | 'transparent-color' | 'opaque';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0
  );
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

export function pngTransparency(bytes: Uint8Array): PngTransparency | undefined {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  if (chunkType(bytes, 12) !== 'IHDR') return undefined;
  const colourType = bytes[25];
  if (colourType === 4 || colourType === 6) return 'alpha-channel';
  // tRNS comes after IHDR (and PLTE) and before the first IDAT.
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = u32(bytes, at);
    const type = chunkType(bytes, at + 4);
    if (type === 'tRNS') return 'transparent-color';
    if (type === 'IDAT' || type === 'IEND') return 'opaque';
    at += 12 + length;
  }
  return undefined;
}
