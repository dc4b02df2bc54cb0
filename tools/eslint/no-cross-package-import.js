// Libraries meet only through @hubspoke/core: a library may not import another library,
// neither by package name nor by a relative path that leaves its own package. Composition
// packages are listed with what they may import ('*': any Hubspoke package).
import path from 'node:path';

const PACKAGES_DIR = `${path.sep}packages${path.sep}`;
const COMPOSITION = {
  hub: '*',
  cli: new Set(['core', 'hub', 'server', 'assist', 'editor']), // server: `hubspoke serve`; assist: `hubspoke assist`; editor: the preview page's dark scheme
  server: new Set(['core', 'hub', 'editor']),
  editor: new Set(['core', 'template-engine', 'brand-rules']),
};

// A package's tests may use another package's testkit (`@hubspoke/<pkg>/testkit`): it exists
// so that code written elsewhere is tested against the same fakes and contracts.
const TESTKIT = /^@hubspoke\/[^/]+\/testkit$/;
const TEST_FILE = /\.test\.ts$/;

function mayImport(own, target) {
  if (target === 'core' || target === own) return true;
  const allowed = COMPOSITION[own];
  return allowed === '*' || (allowed !== undefined && allowed.has(target));
}

function packageOf(file) {
  const at = file.lastIndexOf(PACKAGES_DIR);
  if (at === -1) return undefined;
  return file.slice(at + PACKAGES_DIR.length).split(path.sep)[0];
}

/** @type {import('eslint').Rule.RuleModule} */
export const noCrossPackageImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Libraries import only @hubspoke/core across package boundaries' },
    schema: [],
    messages: {
      byName:
        "'{{source}}' is another Hubspoke package; this package may import only @hubspoke/core (and what tools/eslint lists for composition packages).",
      byPath:
        "'{{source}}' reaches into packages/{{target}}; this package may import only @hubspoke/core (and what tools/eslint lists for composition packages).",
    },
  },
  create(context) {
    const file = context.filename;
    const own = packageOf(file);
    if (own === undefined || COMPOSITION[own] === '*') return {};
    const check = (node) => {
      const source = node.source && node.source.value;
      if (typeof source !== 'string') return;
      if (source.startsWith('@hubspoke/')) {
        if (TEST_FILE.test(file) && TESTKIT.test(source)) return;
        const name = source.split('/')[1];
        if (!mayImport(own, name)) context.report({ node, messageId: 'byName', data: { source } });
        return;
      }
      if (source.startsWith('.')) {
        const target = packageOf(path.resolve(path.dirname(file), source));
        if (target !== undefined && target !== own) {
          context.report({ node, messageId: 'byPath', data: { source, target } });
        }
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
