// Words that name a file's role, format or version rather than what the image shows.
const NOISE = new Set([
  'img',
  'image',
  'images',
  'photo',
  'pic',
  'picture',
  'dsc',
  'dscn',
  'dcim',
  'screenshot',
  'final',
  'copy',
  'edit',
  'edited',
  'hero',
  'banner',
  'header',
  'footer',
  'email',
  'newsletter',
  'web',
  'mobile',
  'desktop',
  'retina',
  'thumb',
  'thumbnail',
  'large',
  'small',
  'medium',
  'lg',
  'sm',
  'md',
  'xl',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'svg',
  'avif',
  'new',
  'old',
  'draft',
  'stock',
]);

/**
 * The descriptive words in an image's file name: `…/Spring-Sale_tulips@2x.v3.jpg?w=600`
 * gives `spring sale tulips`. Drops extensions, sizes, densities, versions, hashes,
 * numbers and words that describe the file rather than the picture.
 */
export function fileNameWords(src: string): string {
  const path = src.split(/[?#]/)[0] ?? '';
  let name = path.slice(path.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: keep the raw name.
  }
  return name
    .replace(/\.[A-Za-z0-9]{2,5}$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1 && !NOISE.has(w) && !/\d/.test(w) && !/^[0-9a-f]{8,}$/.test(w))
    .join(' ');
}
