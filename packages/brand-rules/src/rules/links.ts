import { z } from 'zod';
import { memoize } from '../memoize.js';
import type { LinkRef } from '../types.js';
import { defineRule } from './define-rule.js';

const TOKEN = /\{\{|\{%|%%|\$\{|~~|\[\[/;

type Parsed = { kind: 'skip' } | { kind: 'unsafe'; scheme: string } | { kind: 'relative' } | { kind: 'web'; url: URL };

/** Classifies an href (memoized: several rules ask about every link): personalization, mailto/tel/anchors are skipped; script schemes are unsafe. */
export const classifyHref: (href: string) => Parsed = memoize((href) => classify(href));

function classify(href: string): Parsed {
  const value = href.trim();
  if (value === '' || value.startsWith('#') || TOKEN.test(value)) return { kind: 'skip' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'relative' };
  if (scheme === 'mailto' || scheme === 'tel' || scheme === 'sms') return { kind: 'skip' };
  if (scheme !== 'http' && scheme !== 'https') return { kind: 'unsafe', scheme };
  try {
    return { kind: 'web', url: new URL(value) };
  } catch {
    return { kind: 'relative' };
  }
}

/** `acme.example` matches itself; `*.acme.example` matches its subdomains. */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => {
    const domain = d.toLowerCase();
    return domain.startsWith('*.') ? h.endsWith(domain.slice(1)) : h === domain;
  });
}

function at(link: LinkRef) {
  return { location: link.location };
}

export const linkHttps = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Links are absolute https URLs (when `brandKit.links.requireHttps`); `javascript:` and other script schemes are always errors. The upgrade to https is a fix for hosts on `brandKit.links.allowedDomains` (the hub vouches that they serve https) and a suggestion elsewhere',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      http: 'Link uses http: {{href}}',
      unsafe: 'Link uses the "{{scheme}}:" scheme, which email clients block or which runs code',
      relative: 'Link "{{href}}" is not an absolute URL; it will not work in an email',
    },
  },
  create(context) {
    return {
      link(link) {
        const parsed = classifyHref(link.href);
        if (parsed.kind === 'unsafe')
          context.report({ messageId: 'unsafe', data: { scheme: parsed.scheme }, at: at(link) });
        else if (parsed.kind === 'relative')
          context.report({ messageId: 'relative', data: { href: link.href }, at: at(link) });
        else if (parsed.kind === 'web' && parsed.url.protocol === 'http:' && context.brandKit.links.requireHttps) {
          const upgraded = link.href.trim().replace(/^http:/i, 'https:');
          const domains = context.brandKit.links.allowedDomains;
          if (domains.length > 0 && hostAllowed(parsed.url.hostname, domains)) {
            context.report({
              messageId: 'http',
              data: { href: link.href },
              at: at(link),
              fix: {
                description: "Use https (the brand's own domain serves it)",
                target: link.hrefTarget,
                text: upgraded,
              },
            });
          } else {
            context.report({
              messageId: 'http',
              data: { href: link.href },
              at: at(link),
              suggest: [
                { description: 'Use https (check that the site serves it)', target: link.hrefTarget, text: upgraded },
              ],
            });
          }
        }
      },
    };
  },
});

export const linkDomain = defineRule<{ allow: string[] }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        "Links point only to `brandKit.links.allowedDomains` (plus `options.allow`, e.g. your ESP's unsubscribe host)",
      recommended: true,
    },
    messages: { domain: 'Link to "{{host}}" is not on an allowed domain ({{allowed}})' },
    schema: z
      .object({ allow: z.array(z.string()).default([]) })
      .strict()
      .default({ allow: [] }),
  },
  create(context) {
    const domains = [...context.brandKit.links.allowedDomains, ...context.options.allow];
    return {
      link(link) {
        if (domains.length === 0) return;
        const parsed = classifyHref(link.href);
        if (parsed.kind !== 'web' || hostAllowed(parsed.url.hostname, domains)) return;
        context.report({
          messageId: 'domain',
          data: { host: parsed.url.hostname, allowed: domains.join(', ') },
          at: at(link),
          facts: { host: parsed.url.hostname },
        });
      },
    };
  },
});

export const linkUtm = defineRule<{ params: Record<string, string>; domains?: string[] | undefined }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Tracked links carry every required UTM parameter (`brandKit.links.requiredUtm`); the fix adds the missing ones with their default values',
      recommended: true,
    },
    fixable: 'code',
    messages: { missing: 'Link is missing {{params}}' },
    schema: z
      .object({
        params: z.record(z.string().regex(/^utm_[a-z_]+$/), z.string()).default({}),
        domains: z.array(z.string()).optional(),
      })
      .strict()
      .default({ params: {} }),
  },
  create(context) {
    const required = { ...context.brandKit.links.requiredUtm, ...context.options.params };
    const domains = context.options.domains ?? context.brandKit.links.allowedDomains;
    return {
      link(link) {
        if (Object.keys(required).length === 0) return;
        const parsed = classifyHref(link.href);
        if (parsed.kind !== 'web' || (domains.length > 0 && !hostAllowed(parsed.url.hostname, domains))) return;
        const missing = Object.keys(required).filter((p) => !parsed.url.searchParams.has(p));
        if (missing.length === 0) return;
        const href = link.href.trim();
        const hash = href.indexOf('#');
        const base = hash === -1 ? href : href.slice(0, hash);
        const fragment = hash === -1 ? '' : href.slice(hash);
        const added = missing.map((p) => `${p}=${encodeURIComponent(required[p] ?? '')}`).join('&');
        const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
        const fixed = `${base}${separator}${added}${fragment}`;
        context.report({
          messageId: 'missing',
          data: { params: missing.join(', ') },
          at: at(link),
          fix: { description: `Add ${missing.join(', ')}`, target: link.hrefTarget, text: fixed },
          facts: { missing },
        });
      },
    };
  },
});
