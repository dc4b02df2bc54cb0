import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

const MARK = '/* @__PURE__ */ ';

/**
 * Marks every call made while a module loads (`export const X = z.object(…)`) as pure, so a
 * bundler drops the schemas a consumer never uses. Core's module-level code only builds values
 * (zod schemas, presets), which is what makes the annotation true; calls inside functions are
 * left alone. Each chain's outermost call gets the mark, and so does every call in its arguments,
 * because bundlers keep a pure call whose arguments still look effectful.
 */
export function annotatePureCalls(fileName: string, text: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const starts: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const parent = node.parent;
      const innerLinkOfChain = ts.isPropertyAccessExpression(parent) && parent.expression === node;
      if (!innerLinkOfChain) starts.push(node.getStart(source));
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of source.statements) if (ts.isVariableStatement(statement)) visit(statement);
  let out = text;
  for (const start of starts.sort((a, b) => b - a)) out = out.slice(0, start) + MARK + out.slice(start);
  return out;
}

/** The esbuild side of {@link annotatePureCalls}, for the files `filter` matches. */
export function pureModuleCalls(filter: RegExp): Plugin {
  return {
    name: 'hubspoke-pure-module-calls',
    setup(build) {
      build.onLoad({ filter }, async (args) => ({
        contents: annotatePureCalls(args.path, await readFile(args.path, 'utf8')),
        loader: 'ts',
      }));
    },
  };
}
