import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { folderOf, imagePolicy, originOf } from './image-policy.js';

describe('originOf', () => {
  it('keeps only http(s) origins that are safe to put in a CSP header', () => {
    expect(originOf('https://assets.acme.example/img/hero.png?x=1')).toBe('https://assets.acme.example');
    expect(originOf('http://127.0.0.1:8080/a.png')).toBe('http://127.0.0.1:8080');
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('data:image/png;base64,AAAA')).toBeUndefined();
    expect(originOf("https://a.example; script-src 'unsafe-inline'")).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });

  it('never lets a separator or quote into the policy, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), fc.webUrl(), (junk, url) => {
        for (const candidate of [junk, url, `${url}${junk}`]) {
          const origin = originOf(candidate);
          if (origin !== undefined) expect(origin).toMatch(/^https?:\/\/[a-z0-9.-]+(?::\d+)?$/i);
        }
      }),
    );
  });
});

describe('imagePolicy', () => {
  const approved = ['https://assets.acme.example/library/hero.jpg', 'https://cdn.acme.example/logo.png', 'not a url'];

  it('allows the brand hosts and data: images only, by default', () => {
    const policy = imagePolicy(approved, false);
    expect(policy.imgSrc).toBe("img-src 'self' data: https://assets.acme.example/library/ https://cdn.acme.example/");
  });

  it('lists every blocked remote image once, from src, background, srcset and CSS url()', () => {
    const html = `
      <img src="https://assets.acme.example/library/a.png" alt="">
      <img src="https://assets.acme.example/library/2026/spring.png" alt="">
      <img src="https://assets.acme.example/uploads/someone-else.gif" alt="">
      <img src="https://track.evil.example/open.gif?u=1&amp;c=2" width="1" height="1">
      <img src='//pixel.example/p.gif'>
      <td background="http://bg.example/tile.png" style="background-image:url('https://css.example/bg.png')">
      <img srcset="https://cdn.acme.example/1x.png 1x, https://hi.example/2x.png 2x" src="cid:logo">
      <div style="background: url(https://track.evil.example/open.gif?u=1&amp;c=2)"></div>
      <img src="data:image/gif;base64,R0lGOD"><img src="relative.png"><img src=https://bare.example/x.png>`;
    expect(imagePolicy(approved, false).blocked(html)).toEqual([
      'https://assets.acme.example/uploads/someone-else.gif',
      'https://track.evil.example/open.gif?u=1&c=2',
      '//pixel.example/p.gif',
      'http://bg.example/tile.png',
      'https://bare.example/x.png',
      'https://hi.example/2x.png',
      'https://css.example/bg.png',
    ]);
  });

  it('treats the same host on another scheme or port as another origin', () => {
    const blocked = imagePolicy(approved, false).blocked(
      '<img src="http://assets.acme.example/library/a.png"><img src="https://assets.acme.example:8443/library/a.png">',
    );
    expect(blocked).toEqual([
      'http://assets.acme.example/library/a.png',
      'https://assets.acme.example:8443/library/a.png',
    ]);
  });

  it('admits the brand’s folder of a shared host, not the rest of it', () => {
    const policy = imagePolicy(['https://bucket.s3.example.com/acme-brand/logo.png'], false);
    expect(policy.imgSrc).toBe("img-src 'self' data: https://bucket.s3.example.com/acme-brand/");
    expect(
      policy.blocked(
        '<img src="https://bucket.s3.example.com/acme-brand/hero/1.png"><img src="https://bucket.s3.example.com/acme-brandx/p.gif"><img src="https://bucket.s3.example.com/p.gif">',
      ),
    ).toEqual(['https://bucket.s3.example.com/acme-brandx/p.gif', 'https://bucket.s3.example.com/p.gif']);
  });

  it('keeps a folder with ; or , from ending the directive', () => {
    expect(folderOf('https://cdn.example/a;b,c/x.png')).toBe('https://cdn.example/a%3Bb%2Cc/');
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), (url, junk) => {
        for (const candidate of [url, `${url}/${junk}`]) {
          const folder = folderOf(candidate);
          if (folder !== undefined) expect(folder).not.toMatch(/[;,\s'"]|[^/]$/);
        }
      }),
    );
  });

  it('blocks nothing when remote images are allowed', () => {
    const policy = imagePolicy([], true);
    expect(policy.imgSrc).toBe('img-src * data: blob:');
    expect(policy.blocked('<img src="https://track.evil.example/open.gif">')).toEqual([]);
  });
});
