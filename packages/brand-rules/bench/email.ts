import type { SlotSpan } from '@hubspoke/core';

const WORDS =
  'fresh spring tulips garden bloom colour weekend delivery bouquet florist berlin market seasonal vase petals order gift friends family morning sunshine'.split(
    ' ',
  );

function sentence(i: number, length: number): string {
  const words: string[] = [];
  for (let w = 0; w < length; w++) words.push(WORDS[(i * 7 + w * 3) % WORDS.length] ?? 'flower');
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * MJML-5-shaped HTML (nested layout tables, inline styles, MSO conditional comments, a
 * style block, buttons, images and links) of at least `minBytes`, with slot spans.
 */
export function mjmlLikeEmail(minBytes = 50_000): { html: string; spans: SlotSpan[] } {
  const spans: SlotSpan[] = [];
  let html =
    '<!doctype html><html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title></title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style type="text/css">#outlook a { padding:0; } body { margin:0;padding:0;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%; } table, td { border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt; } img { border:0;height:auto;line-height:100%; outline:none;text-decoration:none;-ms-interpolation-mode:bicubic; } p { display:block;margin:13px 0; }</style><!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]--><style type="text/css">@media only screen and (min-width:480px) { .mj-column-per-100 { width:100% !important; max-width: 100%; } }</style></head><body style="word-spacing:normal;background-color:#F4F6FA;"><div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">Fresh picks for your weekend</div><div style="background-color:#F4F6FA;" lang="en" dir="auto">';
  for (let i = 0; html.length < minBytes; i++) {
    html += `<!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" class="" role="presentation" style="width:600px;" width="600" bgcolor="#FFFFFF" ><tr><td style="line-height:0px;font-size:0px;mso-line-height-rule:exactly;"><![endif]--><div style="background:#FFFFFF;background-color:#FFFFFF;margin:0px auto;max-width:600px;"><table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="background:#FFFFFF;background-color:#FFFFFF;width:100%;"><tbody><tr><td style="direction:ltr;font-size:0px;padding:20px 0;text-align:center;"><!--[if mso | IE]><table role="presentation" border="0" cellpadding="0" cellspacing="0"><tr><td class="" style="vertical-align:top;width:600px;" ><![endif]--><div class="mj-column-per-100 mj-outlook-group-fix" style="font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;"><table border="0" cellpadding="0" cellspacing="0" role="presentation" style="vertical-align:top;" width="100%"><tbody>`;
    html += `<tr><td align="center" style="font-size:0px;padding:10px 25px;word-break:break-word;"><table border="0" cellpadding="0" cellspacing="0" role="presentation" style="border-collapse:collapse;border-spacing:0px;"><tbody><tr><td style="width:550px;"><img alt="Tulips in a Berlin park" src="https://cdn.acme.example/hero.jpg" style="border:0;display:block;outline:none;text-decoration:none;height:auto;width:100%;font-size:13px;" width="550" height="auto"></td></tr></tbody></table></td></tr>`;
    html += `<tr><td align="left" style="font-size:0px;padding:10px 25px;word-break:break-word;"><div style="font-family:Inter, Arial, sans-serif;font-size:24px;font-weight:bold;line-height:1.3;text-align:left;color:#1A1A1A;">`;
    let start = html.length;
    html += `<h2 style="margin:0;font-size:24px;">${sentence(i, 5)}</h2>`;
    spans.push({ instanceId: `article-${i}`, slotId: 'headline', start, end: html.length });
    html += `</div></td></tr><tr><td align="left" style="font-size:0px;padding:10px 25px;word-break:break-word;"><div style="font-family:Inter, Arial, sans-serif;font-size:16px;line-height:1.5;text-align:left;color:#1A1A1A;">`;
    start = html.length;
    html += `<p>${sentence(i, 14)} ${sentence(i + 1, 11)} Read <a href="https://acme.example/story/${i}?utm_source=email&amp;utm_medium=newsletter" style="color:#0B5FFF;">the full story</a> &amp; more.</p><p>${sentence(i + 2, 16)}</p>`;
    spans.push({ instanceId: `article-${i}`, slotId: 'copy', start, end: html.length });
    html += `</div></td></tr><tr><td align="center" vertical-align="middle" style="font-size:0px;padding:10px 25px;word-break:break-word;"><table border="0" cellpadding="0" cellspacing="0" role="presentation" style="border-collapse:separate;line-height:100%;"><tbody><tr><td align="center" bgcolor="#0B5FFF" role="presentation" style="border:none;border-radius:3px;cursor:auto;mso-padding-alt:10px 25px;background:#0B5FFF;" valign="middle"><a href="https://acme.example/shop/${i}?utm_source=email&amp;utm_medium=newsletter" style="display:inline-block;background:#0B5FFF;color:#FFFFFF;font-family:Inter, Arial, sans-serif;font-size:16px;font-weight:normal;line-height:120%;margin:0;text-decoration:none;text-transform:none;padding:10px 25px;mso-padding-alt:0px;border-radius:3px;" target="_blank">Shop now</a></td></tr></tbody></table></td></tr>`;
    html +=
      '</tbody></table></div><!--[if mso | IE]></td></tr></table><![endif]--></td></tr></tbody></table></div><!--[if mso | IE]></td></tr></table><![endif]-->';
  }
  html +=
    '<div style="margin:0px auto;max-width:600px;"><table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:100%;"><tbody><tr><td style="padding:20px;"><div style="font-family:Inter, Arial, sans-serif;font-size:14px;line-height:1.5;color:#1A1A1A;">Acme GmbH, Hauptstraße 1, 10115 Berlin<br>You can unsubscribe at any time. <a href="https://acme.example/unsubscribe?utm_source=email&amp;utm_medium=newsletter" style="color:#0B5FFF;">Unsubscribe</a></div></td></tr></tbody></table></div></div></body></html>';
  return { html, spans };
}
