/**
 * Validation at the edge: the global ValidationPipe (whitelist, refuse unknown fields, name every invalid field
 * in the 400), and the same rules for records that arrive outside HTTP (Kafka). Before the decorators run, the
 * checks no decorator makes: nesting depth, NUL and lone surrogates in any string, normalised ids, and no
 * `null` in a body (class-validator's @IsOptional would let a null past every other rule of its field).
 */
import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldProblem } from './field-problem';
import { MAX_JSON_DEPTH, valueDepth } from './json-depth';
import { unsafeTextProblems } from './text-safety';

export type { FieldProblem } from './field-problem';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const problems = Object.entries(error.constraints).map(([rule, text]) =>
        rule === 'whitelistValidation' ? `${error.property} is not a known field` : text,
      );
      out.push({ field, problems });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

const DEPTH_PROBLEM = `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`;
const NULL_PROBLEM = 'must not be null; leave the field out instead';

/** Every field of a body that is JSON null, by path (iteratively: the depth is checked first, but stay safe). */
export function nullValueProblems(value: unknown, path = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  const pending: Array<{ inner: unknown; field: string }> = [{ inner: value, field: path }];
  for (let next = 0; next < pending.length; next++) {
    const { inner, field } = pending[next];
    if (inner === null) out.push({ field: field || '(body)', problems: [NULL_PROBLEM] });
    else if (typeof inner === 'object') {
      for (const [key, child] of Object.entries(inner as Record<string, unknown>)) pending.push({ inner: child, field: field ? `${field}.${key}` : key });
    }
  }
  return out;
}

/** The checks no decorator makes, in order: depth, then unsafe text and ids, then (bodies only) nulls. */
export function edgeProblems(value: unknown, path = '', options: { refuseNull?: boolean; key?: string } = {}): FieldProblem[] {
  if (valueDepth(value) > MAX_JSON_DEPTH) return [{ field: path || '(body)', problems: [DEPTH_PROBLEM] }];
  const text = unsafeTextProblems(value, path, options.key ?? path);
  if (text.length) return text;
  return options.refuseNull ? nullValueProblems(value, path) : [];
}

/** Validates a plain object against a DTO class: the typed instance, or every problem by field. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, raw: unknown): { value: T } | { problems: FieldProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [{ field: '(record)', problems: ['must be a JSON object'] }] };
  const edge = edgeProblems(raw, '', { refuseNull: true });
  if (edge.length) return { problems: edge };
  const instance = plainToInstance(cls, raw);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return errors.length ? { problems: flattenValidationErrors(errors) } : { value: instance };
}

export function invalidRequest(fields: FieldProblem[]): BadRequestException {
  return new BadRequestException({ message: `invalid request: ${fields.map((f) => f.field).join(', ')}`, fields });
}

const RECORDS_CHECKED_ONE_BY_ONE = 'aftersales:records-checked-one-by-one';

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Marks a body class whose records the handler checks one by one with validatePlain (edge checks included), so one
 * bad record is refused on its own with its reasons and the others go on, instead of the whole body being refused.
 */
export function RecordsCheckedOneByOne(): ClassDecorator {
  return (target) => Reflect.defineMetadata(RECORDS_CHECKED_ONE_BY_ONE, true, target);
}

/** What a parameter declared without a class reports as its type. */
const UNTYPED_METATYPES: ReadonlySet<unknown> = new Set([Array, Object, String, Number, Boolean]);

/** The class-validator pipe, after the edge checks on every body, query and path value. */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const perRecord = metadata.type === 'body' && !!metadata.metatype && Reflect.getMetadata(RECORDS_CHECKED_ONE_BY_ONE, metadata.metatype) === true;
    // A whole body bound to a class must be an object: `[1,2,3]` would otherwise pass as an empty action.
    const wholeBody = metadata.type === 'body' && metadata.data === undefined && typeof metadata.metatype === 'function';
    if (wholeBody && !UNTYPED_METATYPES.has(metadata.metatype) && !isPlainObject(value)) {
      throw invalidRequest([{ field: '(body)', problems: ['must be a JSON object'] }]);
    }
    if (metadata.type !== 'custom' && !perRecord) {
      const path = metadata.type === 'param' ? (metadata.data ?? '') : '';
      const problems = edgeProblems(value, path, { refuseNull: metadata.type === 'body', key: path });
      if (problems.length) throw invalidRequest(problems);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => invalidRequest(flattenValidationErrors(errors)),
  });
}
