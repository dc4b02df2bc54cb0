import {
  HubspokeError,
  type CallOptions,
  type Connector,
  type RenderedEmail,
  type UploadAssetInput,
} from '@hubspoke/core';
import { Parser } from 'htmlparser2';

export interface HostedImage {
  /** The `src` as it was in the email. */
  src: string;
  /** The platform's hosted copy. */
  url: string;
  /** `false` when the same bytes had been uploaded before. */
  created: boolean;
}

const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Uploads an email's approved images into the platform's file store (`uploadAsset`, once per
 * SHA-256) and rewrites each `<img src>` to the hosted copy. `load(src)` answers the image for
 * a `src` that may be uploaded (an approved brand asset), or `undefined` to leave that `src`
 * as it is. A connector without `uploadAsset` is `E_UNSUPPORTED`.
 */
export async function hostEmailImages(
  connector: Connector,
  email: RenderedEmail,
  load: (src: string) => Promise<UploadAssetInput | undefined>,
  options: CallOptions = {},
): Promise<{ email: RenderedEmail; images: HostedImage[] }> {
  const upload = connector.uploadAsset?.bind(connector);
  if (upload === undefined)
    throw new HubspokeError(
      'E_UNSUPPORTED',
      `${connector.manifest.name} cannot upload assets (no uploadAsset capability)`,
      {
        details: { connector: connector.manifest.id, capability: 'uploadAsset' },
      },
    );
  // Where each <img> tag is, with its decoded src.
  const tags: { start: number; end: number; src: string }[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const src = attributes.src;
        if (name === 'img' && src !== undefined && src !== '')
          tags.push({ start: parser.startIndex, end: parser.endIndex, src });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(email.html);
  const hosted = new Map<string, HostedImage>();
  for (const src of new Set(tags.map((t) => t.src))) {
    const input = await load(src);
    if (input === undefined) continue;
    const result = await upload(input, options);
    hosted.set(src, { src, url: result.url, created: result.created });
  }
  let html = email.html;
  for (const tag of [...tags].reverse()) {
    const image = hosted.get(tag.src);
    if (image === undefined) continue;
    const text = html.slice(tag.start, tag.end + 1);
    const rewritten = text.replace(/(\ssrc\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)/i, `$1"${attribute(image.url)}"`);
    html = html.slice(0, tag.start) + rewritten + html.slice(tag.end + 1);
  }
  return { email: { ...email, html, bytes: Buffer.byteLength(html, 'utf8') }, images: [...hosted.values()] };
}
