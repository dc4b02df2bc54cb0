import { Kind, buildSchema, getOperationAST, getVariableValues, parse, validate, type GraphQLSchema } from 'graphql';
import type { ContractRequest, ContractResult, ContractViolation, VendorContract } from './openapi.js';

export interface GraphQLContractOptions {
  vendor: string;
  /** The vendor's schema in SDL. */
  sdl: string;
  /** The endpoint path, e.g. `/v2`. */
  path: string;
  /** Headers every request needs (authentication, API version). */
  headers?: (request: ContractRequest) => string | undefined;
}

/**
 * A GraphQL contract: the document must parse and pass graphql-js validation against the
 * vendor's schema (unknown fields, wrong argument types, unused or undefined variables), and
 * the variables must coerce to the declared types.
 */
export function graphqlContract(options: GraphQLContractOptions): VendorContract {
  const schema: GraphQLSchema = buildSchema(options.sdl);
  const fields = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
  ];
  return {
    vendor: options.vendor,
    operations: fields,
    check(request: ContractRequest): ContractResult {
      const violations: ContractViolation[] = [];
      const add = (where: ContractViolation['in'], message: string, operation?: string) =>
        violations.push({ ...(operation === undefined ? {} : { operation }), in: where, message });
      if (request.method !== 'POST' || request.path !== options.path) {
        add('operation', `${request.method} ${request.path}: GraphQL requests are POST ${options.path}`);
        return { operation: undefined, violations };
      }
      const auth = options.headers?.(request);
      if (auth !== undefined) add('header', auth);
      const body = request.json as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
      if (typeof body !== 'object' || typeof body.query !== 'string') {
        add('body', 'expected a JSON body with a "query" string');
        return { operation: undefined, violations };
      }
      let document;
      try {
        document = parse(body.query);
      } catch (error) {
        add('body', `query does not parse: ${(error as Error).message}`);
        return { operation: undefined, violations };
      }
      const ast = getOperationAST(document, typeof body.operationName === 'string' ? body.operationName : undefined);
      const first = ast?.selectionSet.selections[0];
      const operation = first?.kind === Kind.FIELD ? first.name.value : undefined;
      for (const error of validate(schema, document)) add('body', error.message, operation);
      if (ast !== null && ast !== undefined && violations.length === 0) {
        const variables = (body.variables ?? {}) as Record<string, unknown>;
        const declared = new Set(ast.variableDefinitions?.map((v) => v.variable.name.value) ?? []);
        for (const name of Object.keys(variables))
          if (!declared.has(name)) add('body', `variable "$${name}" is sent but not declared`, operation);
        const coerced = getVariableValues(schema, ast.variableDefinitions ?? [], variables);
        for (const error of coerced.errors ?? []) add('body', error.message, operation);
      }
      return { operation, violations };
    },
  };
}
