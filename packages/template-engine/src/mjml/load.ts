/** What mjml2html resolves to (mjml 5 is async). */
export interface MjmlResult {
  html: string;
  errors: { line: number; message: string; tagName: string }[];
}

/** A node of mjml's own JSON tree, as `mjml-parser-xml` builds it. */
export interface MjmlJsonNode {
  tagName: string;
  attributes?: Record<string, unknown>;
  children?: MjmlJsonNode[];
  content?: string;
  line?: number;
}

export interface MjmlApi {
  mjml2html: (source: string, options: Record<string, unknown>) => Promise<MjmlResult>;
  parseXml: (source: string, options: Record<string, unknown>) => MjmlJsonNode;
  validate: (
    root: MjmlJsonNode,
    options: Record<string, unknown>,
  ) => { line: number; message: string; tagName: string }[];
  components: Record<string, { endingTag?: boolean; allowedAttributes?: Record<string, string> }>;
  dependencies: Record<string, string[]>;
  initializeType: unknown;
}

let api: MjmlApi | undefined;

/**
 * Loads mjml on first use. When mjml-core is first required it reads `.mjmlconfig` from the
 * working directory and `require()`s every component package listed there: code from whatever
 * folder the process happens to run in. `MJML_BROWSER` is the switch mjml-core's config loader
 * checks to skip that; we set it for the synchronous require and restore it right after, so no
 * other code observes it.
 */
export function loadMjml(): MjmlApi {
  if (api) return api;
  // Looked up at call time, not imported: the browser build (`./fill`) shares this module graph.
  const { createRequire } = process.getBuiltinModule('node:module');
  const require = createRequire(import.meta.url);
  const previous = process.env.MJML_BROWSER;
  process.env.MJML_BROWSER = '1';
  try {
    const mjmlPath = require.resolve('mjml');
    const mjml2html = require('mjml') as MjmlApi['mjml2html'];
    const fromMjml = createRequire(mjmlPath);
    const core = fromMjml('mjml-core') as { components: MjmlApi['components']; initializeType: unknown };
    const fromCore = createRequire(fromMjml.resolve('mjml-core'));
    const parser = fromCore('mjml-parser-xml') as MjmlApi['parseXml'] | { default: MjmlApi['parseXml'] };
    const validator = fromMjml('mjml-validator') as {
      default: MjmlApi['validate'];
      dependencies: MjmlApi['dependencies'];
    };
    api = {
      mjml2html,
      parseXml: typeof parser === 'function' ? parser : parser.default,
      validate: validator.default,
      components: core.components,
      dependencies: validator.dependencies,
      initializeType: core.initializeType,
    };
    return api;
  } finally {
    if (previous === undefined) delete process.env.MJML_BROWSER;
    else process.env.MJML_BROWSER = previous;
  }
}

/** Options every compile uses: no minify (tokens in CSS would hang htmlnano), no includes, no config files. */
export const MJML_OPTIONS = {
  validationLevel: 'skip',
  minify: false,
  beautify: false,
  keepComments: true,
  ignoreIncludes: true,
  useMjmlConfigOptions: false,
} as const;
