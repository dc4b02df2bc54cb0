import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';

/** One request as a contract sees it (a fake server's `FakeRequest` has this shape). */
export interface ContractRequest {
  method: string;
  /** The path as the vendor sees it, without the host. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text. */
  body: string;
  json?: unknown;
  form?: URLSearchParams;
  files?: Map<string, { filename: string; contentType: string; text: string }>;
}

/** What a contract found wrong with a request. */
export interface ContractViolation {
  /** The vendor's operation id, when the request matched one. */
  operation?: string;
  /** Where the problem is: `operation` (no such method and path), `path`, `query`, `header` or `body`. */
  in: 'operation' | 'path' | 'query' | 'header' | 'body';
  message: string;
}

export interface ContractResult {
  /** The matched operation id (`undefined` when no operation matched). */
  operation: string | undefined;
  violations: ContractViolation[];
}

/** A vendor contract: checks one request against the vendor's published (or transcribed) description. */
export interface VendorContract {
  /** e.g. `marketo`. */
  readonly vendor: string;
  /** Operation ids this contract knows, for reports. */
  readonly operations: readonly string[];
  check(request: ContractRequest): ContractResult;
}

type Json = Record<string, unknown>;
type Location = 'path' | 'query' | 'header';

interface Parameter {
  name: string;
  in: Location;
  required: boolean;
  /** Array values sent comma-separated in one parameter (Swagger 2 `csv`, OpenAPI 3 `explode: false`). */
  commaSeparated: boolean;
  validate: ValidateFunction;
}

interface Body {
  required: boolean;
  /** Media types the operation consumes, e.g. `application/json`, `multipart/form-data`. */
  types: string[];
  validate?: ValidateFunction;
  /** Top-level fields whose schema is an object or array: sent JSON-encoded inside form and multipart bodies. */
  jsonFields: Set<string>;
  /** Top-level fields a multipart body must send as file parts. */
  fileFields: Set<string>;
}

interface Operation {
  id: string;
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  params: Parameter[];
  body: Body | undefined;
  /** Query parameters beyond the declared ones are allowed (the vendor documents extra ones). */
  openQuery: boolean;
}

/** A change to an operation, made where the vendor's own documentation says the machine-readable file is wrong or incomplete. */
export interface OperationOverlay {
  /** `METHOD /path` as in the document. */
  operation: string;
  /** Where the documentation says so (a URL); required so every deviation from the file is traceable. */
  source: string;
  /** Replace (or add) the operation, e.g. a method the file lacks. Written in the document's own dialect. */
  replace?: Json;
  /** Merge into the operation's request body schema (e.g. documented `required` fields). */
  bodySchema?: Json;
  /** Parameters to remove by name (e.g. a spec that lists body fields as query parameters). */
  dropParameters?: string[];
  /** Extra parameters, in the document's dialect. */
  addParameters?: Json[];
  /** Extra media types the operation accepts. */
  consumes?: string[];
  /** Parameters the documentation marks required where the file does not. */
  requireParameters?: string[];
  /** Body fields the file marks required that the documentation says are optional. */
  optionalFields?: string[];
}

export interface OpenApiContractOptions {
  vendor: string;
  /** Swagger 2.0 or OpenAPI 3.0 documents (or transcriptions written as OpenAPI 3.0). */
  documents: Json[];
  /** Documented corrections, each with its source. */
  overlays?: OperationOverlay[];
  /** A path prefix the fake serves that the document's paths leave out (default none). */
  basePath?: string;
  /** Headers every operation needs (authentication), checked before the operation's own. */
  headers?: (request: ContractRequest, operation: string) => string | undefined;
}

const xml = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

const header = (request: ContractRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Marks where an object schema sits so unknown fields are refused, except where it is one branch of a composition. */
function closeObjects(schema: unknown, position: 'value' | 'branch' = 'value'): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closeObjects(s, position));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const copy: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' && value !== null && typeof value === 'object')
      copy[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, closeObjects(v)]));
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') copy[key] = closeObjects(value, 'branch');
    else if (key === 'items' || key === 'additionalProperties' || key === 'not') copy[key] = closeObjects(value);
    else copy[key] = value;
  }
  if (position === 'branch') return copy;
  const open = 'additionalProperties' in s || 'unevaluatedProperties' in s;
  if (open) return copy;
  if (typeof s.$ref === 'string') return { allOf: [copy], unevaluatedProperties: false };
  if ('properties' in s || 'allOf' in s) copy.unevaluatedProperties = false;
  return copy;
}

/** Closes the request schemas of one operation (parameters, Swagger 2 body, OpenAPI 3 request body). */
function closeOperation(operation: unknown): unknown {
  if (operation === null || typeof operation !== 'object') return operation;
  const op = { ...(operation as Json) };
  if (Array.isArray(op.parameters))
    op.parameters = (op.parameters as Json[]).map((p) =>
      'schema' in p ? { ...p, schema: closeObjects(p.schema) } : p,
    );
  const body = op.requestBody as Json | undefined;
  if (body?.content !== undefined)
    op.requestBody = {
      ...body,
      content: Object.fromEntries(
        Object.entries(body.content as Record<string, Json>).map(([type, media]) => [
          type,
          { ...media, schema: closeObjects(media.schema) },
        ]),
      ),
    };
  return op;
}

/** Closes every request schema of a document; named definitions are closed where they are used, not where they are declared. */
function closeDocument(doc: Json): Json {
  const branch = (schemas: unknown) =>
    Object.fromEntries(Object.entries((schemas ?? {}) as Json).map(([k, v]) => [k, closeObjects(v, 'branch')]));
  const paths = Object.fromEntries(
    Object.entries((doc.paths ?? {}) as Record<string, Json>).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([key, value]) => [
          key,
          key === 'parameters' ? (closeOperation({ parameters: value }) as Json).parameters : closeOperation(value),
        ]),
      ),
    ]),
  );
  const components = doc.components as Json | undefined;
  return {
    ...doc,
    paths,
    ...(doc.definitions === undefined ? {} : { definitions: branch(doc.definitions) }),
    ...(components === undefined ? {} : { components: { ...components, schemas: branch(components.schemas) } }),
  };
}

/** Swagger 2.0 / OpenAPI 3.0 dialect details ajv does not know. */
function toJsonSchema(schema: unknown, refBase: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, refBase));
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === '$ref' && typeof value === 'string') copy[key] = value.startsWith('#') ? `${refBase}${value}` : value;
    else if (key === 'type' && value === 'file') copy[key] = 'string';
    else if (key === 'nullable' || key === 'discriminator' || key === 'xml' || key === 'externalDocs') continue;
    else copy[key] = toJsonSchema(value, refBase);
  }
  if ((schema as Json).nullable === true && typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  return copy;
}

/** The node a `doc<n>#/json/pointer` reference names. */
function lookup(documents: Json[], ref: string): unknown {
  const [doc, pointer] = ref.split('#') as [string, string];
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, part) => (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      documents[Number(doc.replace('doc', ''))],
    );
}

function resolve(documents: Json[], schema: unknown, depth = 0): Json {
  if (schema === null || typeof schema !== 'object' || depth > 20) return {};
  const s = schema as Json;
  if (typeof s.$ref === 'string') return resolve(documents, lookup(documents, s.$ref), depth + 1);
  if (Array.isArray(s.allOf)) {
    const parts = (s.allOf as unknown[]).map((p) => resolve(documents, p, depth + 1));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Json,
      ...s,
    };
  }
  return s;
}

/** A contract built from the vendor's OpenAPI or Swagger documents, with documented overlays. */
export function openApiContract(options: OpenApiContractOptions): VendorContract {
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: true });
  const coercing = new Ajv2019({ strict: false, allErrors: true, coerceTypes: 'array', validateFormats: true });
  for (const instance of [ajv, coercing]) {
    addFormats(instance);
    for (const format of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'string', 'password'])
      instance.addFormat(format, true);
  }
  const documents = options.documents.map((doc, index) => toJsonSchema(closeDocument(doc), `doc${index}`) as Json);
  documents.forEach((doc, index) => {
    // Only the schema parts are referenced; the rest of the document is data to ajv.
    const schemas = { definitions: doc.definitions, components: doc.components };
    ajv.addSchema(schemas, `doc${index}`);
    coercing.addSchema(schemas, `doc${index}`);
  });
  const overlays = new Map((options.overlays ?? []).map((o) => [o.operation, o]));
  const operations: Operation[] = [];

  documents.forEach((doc, index) => {
    const swagger2 = doc.swagger === '2.0';
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      const methods = new Set(Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)));
      for (const overlay of overlays.values()) {
        const [method, overlayPath] = overlay.operation.split(' ') as [string, string];
        if (overlayPath === path && overlay.replace !== undefined) methods.add(method.toLowerCase());
      }
      for (const method of methods) {
        const key = `${method.toUpperCase()} ${path}`;
        const overlay = overlays.get(key);
        const raw = toJsonSchema(
          overlay?.replace === undefined ? item[method] : closeOperation(overlay.replace),
          `doc${index}`,
        ) as Json;
        const shared = (item.parameters ?? []) as Json[];
        const declared = [
          ...shared,
          ...((raw.parameters ?? []) as Json[]),
          ...((toJsonSchema(overlay?.addParameters ?? [], `doc${index}`) as Json[] | undefined) ?? []),
        ]
          .map((p) => (typeof p.$ref === 'string' ? (lookup(documents, p.$ref) as Json) : p))
          .filter((p) => !(overlay?.dropParameters ?? []).includes(String(p.name)));
        const params: Parameter[] = [];
        let bodySchema: unknown;
        let bodyRequired = false;
        const formFields: Record<string, unknown> = {};
        const formRequired: string[] = [];
        let types: string[] = [];
        for (const p of declared) {
          const where = String(p.in);
          const schema = swagger2 ? { ...p, name: undefined, in: undefined, required: undefined } : (p.schema ?? {});
          if (where === 'body') {
            bodySchema = p.schema;
            bodyRequired = p.required === true;
          } else if (where === 'formData') {
            formFields[String(p.name)] = schema;
            if (p.required === true) formRequired.push(String(p.name));
          } else if (where === 'path' || where === 'query' || where === 'header') {
            const arrayType = resolve(documents, schema).type === 'array';
            params.push({
              name: String(p.name),
              in: where,
              commaSeparated:
                arrayType &&
                (swagger2 ? (p.collectionFormat ?? 'csv') === 'csv' : p.explode === false || where !== 'query'),
              required:
                p.required === true || where === 'path' || (overlay?.requireParameters ?? []).includes(String(p.name)),
              validate: coercing.compile(schema as Json),
            });
          }
        }
        if (swagger2) {
          types = ((raw.consumes ?? doc.consumes ?? ['application/json']) as string[]).slice();
          if (Object.keys(formFields).length > 0)
            bodySchema = {
              type: 'object',
              properties: formFields,
              required: formRequired,
              unevaluatedProperties: false,
            };
        } else {
          const requestBody = raw.requestBody as Json | undefined;
          const content = (requestBody?.content ?? {}) as Record<string, Json>;
          types = Object.keys(content);
          bodySchema = Object.values(content)[0]?.schema;
          bodyRequired = requestBody?.required === true;
        }
        types.push(...(overlay?.consumes ?? []));
        if (overlay?.optionalFields !== undefined) {
          const outer = resolve(documents, bodySchema);
          const inline = Array.isArray(outer.allOf) ? resolve(documents, (outer.allOf as unknown[])[0]) : outer;
          const required = Array.isArray(inline.required) ? (inline.required as string[]) : [];
          bodySchema = {
            type: 'object',
            properties: inline.properties,
            required: required.filter((field) => !(overlay.optionalFields ?? []).includes(field)),
            unevaluatedProperties: false,
          };
        }
        if (overlay?.bodySchema !== undefined)
          bodySchema = { allOf: [bodySchema ?? {}], ...(toJsonSchema(overlay.bodySchema, `doc${index}`) as Json) };
        const resolved = resolve(documents, bodySchema);
        const props = (resolved.properties ?? {}) as Record<string, unknown>;
        const jsonFields = new Set<string>();
        const fileFields = new Set<string>();
        for (const [name, schema] of Object.entries(props)) {
          const field = resolve(documents, schema);
          if (field.type === 'object' || field.type === 'array' || 'properties' in field) jsonFields.add(name);
          const description = typeof field.description === 'string' ? field.description : '';
          if (field.format === 'binary' || /multipart file/i.test(description)) fileFields.add(name);
        }
        const names: string[] = [];
        const source = (options.basePath ?? '') + path;
        const parts = source.split(/(\{[^}]+\})/).filter((part) => part !== '');
        const pattern = new RegExp(
          `^${parts
            .map((part, i) => {
              const param = /^\{(.+)\}$/.exec(part);
              if (param === null) return escapeRegExp(part);
              names.push(param[1] ?? '');
              // A parameter whose schema allows any text (a file path) may span segments.
              const spans = declared.some(
                (d) => d.name === param[1] && d.in === 'path' && (d.schema as Json | undefined)?.pattern === '.+',
              );
              return i === parts.length - 1 && spans ? '(.+)' : '([^/]+)';
            })
            .join('')}$`,
        );
        operations.push({
          id: typeof raw.operationId === 'string' ? raw.operationId : key,
          method: method.toUpperCase(),
          template: path,
          pattern,
          names,
          params,
          body:
            bodySchema === undefined && types.length === 0
              ? undefined
              : {
                  required: bodyRequired || formRequired.length > 0,
                  types,
                  ...(bodySchema === undefined
                    ? {}
                    : {
                        validate: (types.some((t) => !t.includes('json')) ? coercing : ajv).compile(bodySchema as Json),
                      }),
                  jsonFields,
                  fileFields,
                },
          openQuery: raw['x-open-query'] === true,
        });
      }
    }
  });

  const messages = (validate: ValidateFunction, where: string) =>
    (validate.errors ?? []).map((e) => {
      const extra =
        e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ?? (e.params as { additionalProperty?: string }).additionalProperty)} is not in the contract)`
          : '';
      return `${where}${e.instancePath.replace(/\//g, '.')}: ${e.message ?? 'invalid'}${extra}`;
    });

  return {
    vendor: options.vendor,
    operations: operations.map((o) => o.id),
    check(request) {
      const candidates = operations.filter((o) => o.pattern.test(request.path));
      const operation = candidates.find((o) => o.method === request.method);
      if (operation === undefined) {
        const message =
          candidates.length > 0
            ? `${request.method} ${request.path}: the contract allows only ${candidates.map((c) => c.method).join(', ')} here`
            : `${request.method} ${request.path}: no such operation in the ${options.vendor} contract`;
        return { operation: undefined, violations: [{ in: 'operation', message }] };
      }
      const violations: ContractViolation[] = [];
      const add = (where: ContractViolation['in'], message: string) =>
        violations.push({ operation: operation.id, in: where, message });
      const auth = options.headers?.(request, operation.id);
      if (auth !== undefined) add('header', auth);
      const match = operation.pattern.exec(request.path) ?? [];
      const pathValues = Object.fromEntries(operation.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]));
      for (const param of operation.params) {
        const value =
          param.in === 'path'
            ? pathValues[param.name]
            : param.in === 'query'
              ? request.query.getAll(param.name).length > 1
                ? request.query.getAll(param.name)
                : (request.query.get(param.name) ?? undefined)
              : header(request, param.name);
        if (value === undefined || value === '') {
          if (param.required) add(param.in, `${param.in} parameter "${param.name}" is required`);
          continue;
        }
        const holder = { value: param.commaSeparated && typeof value === 'string' ? value.split(',') : value };
        const validate = param.validate;
        if (!validate(holder.value)) add(param.in, messages(validate, `${param.in}.${param.name}`).join('; '));
      }
      if (!operation.openQuery) {
        const known = new Set(operation.params.filter((p) => p.in === 'query').map((p) => p.name));
        for (const name of new Set(request.query.keys()))
          if (!known.has(name)) add('query', `query parameter "${name}" is not in the contract`);
      }
      checkBody(request, operation, add, messages);
      return { operation: operation.id, violations };
    },
  };
}

function checkBody(
  request: ContractRequest,
  operation: Operation,
  add: (where: ContractViolation['in'], message: string) => void,
  messages: (validate: ValidateFunction, where: string) => string[],
): void {
  const body = operation.body;
  const type = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const empty = request.body.trim() === '';
  if (body === undefined) {
    if (!empty) add('body', `the contract describes no request body, got ${type || 'one'}`);
    return;
  }
  if (empty) {
    if (body.required) add('body', 'a request body is required');
    return;
  }
  if (!body.types.some((t) => t.toLowerCase() === type)) {
    add('body', `content type ${type || '(none)'} is not one the contract accepts (${body.types.join(', ')})`);
    return;
  }
  let value: unknown;
  if (type.includes('json')) {
    try {
      value = JSON.parse(request.body) as unknown;
    } catch {
      add('body', 'the body is not valid JSON');
      return;
    }
  } else if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const fields: Json = {};
    const form = request.form ?? new URLSearchParams();
    for (const name of new Set(form.keys())) {
      const raw = form.get(name) ?? '';
      if (body.fileFields.has(name)) add('body', `${name}: expected a file part, got a text field`);
      if (body.jsonFields.has(name)) {
        try {
          fields[name] = JSON.parse(raw) as unknown;
        } catch {
          add('body', `${name}: expected JSON, got ${JSON.stringify(raw.slice(0, 40))}`);
          return;
        }
      } else fields[name] = raw;
    }
    for (const [name, file] of request.files ?? new Map<string, { filename: string; text: string }>()) {
      if (file.filename === '') add('body', `${name}: a file part needs a filename`);
      fields[name] = file.text;
    }
    value = fields;
  } else if (type.includes('xml')) {
    try {
      value = xml.parse(request.body) as unknown;
    } catch {
      add('body', 'the body is not well-formed XML');
      return;
    }
  } else value = request.body;
  if (body.validate !== undefined && !body.validate(value))
    for (const m of messages(body.validate, 'body')) add('body', m);
}
