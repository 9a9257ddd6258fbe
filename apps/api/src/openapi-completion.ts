/**
 * Completes the OpenAPI document Nest derives from the controllers with what every route shares and the
 * decorators do not say: path parameters of the table-driven action routes, and the error answers of the
 * authentication guard, the validation pipe, the rate limiter and the error filter, all in one error schema;
 * and, on every body and query schema, the constraints its class-validator decorators enforce (lengths,
 * patterns, bounds, enums, no unknown fields), so a client generated from the document sends what passes.
 * The contract run (deploy/ci/api-contract.sh) holds the running API to the completed document.
 */
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

type Link = { operationRef: string; parameters: Record<string, string>; description?: string };
type Operation = {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }>; links?: Record<string, Link> }>;
};
type Schema = { properties?: Record<string, Record<string, unknown>>; additionalProperties?: unknown; [keyword: string]: unknown };
type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** JSON Schema keywords a class-validator decorator can add to a property, copied where the document lacks them. */
const CONSTRAINTS = [
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'enum',
  'minItems',
  'maxItems',
  'format',
];

/** Routes that need no token; all others can answer 401 and 403. */
export const PUBLIC_PATHS = ['/health', '/health/ready', '/health/live', '/asyncapi.json'];
/** Routes the rate limiter never answers with 429 (/metrics is limited, and needs a token unless METRICS_PUBLIC=true). */
export const UNLIMITED_PATHS = ['/health', '/health/ready', '/health/live'];

const ERROR_BODY = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string', description: 'Machine-readable reason, e.g. VALIDATION_FAILED, ILLEGAL_TRANSITION, STALE_REVISION' },
    message: { type: 'string' },
    correlationId: { type: 'string' },
    retryable: { type: 'boolean' },
    fields: { type: 'array', items: { type: 'object' } },
    allowedActions: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: true,
};

const ERRORS: Record<string, string> = {
  '400': 'Invalid input; every bad field or parameter is named',
  '401': 'No valid bearer token',
  '403': "The token's role may not do this",
  '404': 'Not found',
  '409': 'Conflict with the current state (stale revision, not allowed now, already exists)',
  '413': 'The body is larger than the API accepts',
  '415': 'The body is not JSON (application/json, UTF-8)',
  '422': 'A business rule refused it (the rule is named)',
  '429': 'Too many requests from this caller; see Retry-After',
  '503': 'A store did not answer; retryable (see Retry-After)',
};

/** Adds the validation constraints of each DTO class (found by its schema name) to its schema. */
function addValidationConstraints(schemas: Record<string, Schema>): void {
  const enforced = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, Schema>;
  for (const [name, schema] of Object.entries(schemas)) {
    const rules = enforced[name];
    if (!rules) continue;
    schema.additionalProperties = false; // the pipe refuses unknown fields
    for (const [property, propertyRules] of Object.entries(rules.properties ?? {})) {
      const target = schema.properties?.[property];
      if (!target) continue;
      for (const keyword of CONSTRAINTS) {
        if (propertyRules[keyword] !== undefined && target[keyword] === undefined && !('$ref' in target)) target[keyword] = propertyRules[keyword];
      }
      if (propertyRules.type === 'integer' && target.type === 'number') target.type = 'integer';
      // OpenAPI 3.0 spells an exclusive bound as the bound plus a boolean (JSON Schema draft 7 uses the number).
      for (const [exclusive, inclusive] of [
        ['exclusiveMinimum', 'minimum'],
        ['exclusiveMaximum', 'maximum'],
      ] as const) {
        if (typeof target[exclusive] === 'number') {
          target[inclusive] = target[exclusive];
          target[exclusive] = true;
        }
      }
    }
  }
}

/** JSON Pointer of an operation, for an OpenAPI link's operationRef. */
function operationRef(path: string, method: string): string {
  return `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
}

/**
 * OpenAPI links from the case a POST /cases created to every operation on that case, so clients (and the
 * contract run's stateful phase) can follow an opened case through its actions, its history and its audit.
 */
function linkCaseOperations(document: Document): void {
  const opened = document.paths['/cases']?.post?.responses['201'];
  if (!opened) return;
  const links: Record<string, Link> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (!/\{id\}/.test(path) || !/^\/(cases|audit\/cases)\/\{id\}/.test(path)) continue;
    for (const method of Object.keys(item)) {
      const name = `${method}${path.replace(/\{id\}/, 'Case').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`;
      links[name] = { operationRef: operationRef(path, method), parameters: { id: '$response.body#/caseId' } };
    }
  }
  opened.links = links;
}

export function completeOpenApiDocument<T>(input: T): T {
  const document = input as unknown as Document;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY } };
  addValidationConstraints(document.components.schemas!);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      operation.parameters ??= [];
      for (const name of pathParams) {
        if (!operation.parameters.some((p) => p.in === 'path' && p.name === name)) {
          operation.parameters.push({ name, in: 'path', required: true, schema: { type: 'string', minLength: 1 } });
        }
      }
      const codes = new Set<string>();
      if (!PUBLIC_PATHS.includes(path)) ['401', '403', '503'].forEach((c) => codes.add(c));
      if (!UNLIMITED_PATHS.includes(path)) codes.add('429');
      if (path === '/health' || path === '/health/ready') codes.add('503');
      if (operation.requestBody || operation.parameters.some((p) => p.in === 'query') || pathParams.length) codes.add('400');
      if (pathParams.length) codes.add('404');
      if (operation.requestBody) ['413', '415'].forEach((c) => codes.add(c));
      if (method === 'post' && !PUBLIC_PATHS.includes(path)) ['409', '422'].forEach((c) => codes.add(c));
      for (const code of codes) operation.responses[code] ??= { description: ERRORS[code] };
      for (const [code, response] of Object.entries(operation.responses)) {
        if (Number(code) >= 400 && !response.content) response.content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
      }
    }
  }
  linkCaseOperations(document);
  return input;
}
