/**
 * Validation at the edge: the global ValidationPipe (whitelist, refuse unknown fields, name every invalid field
 * in the 400), and the same rules for records that arrive outside HTTP (Kafka).
 */
import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export interface FieldProblem {
  field: string;
  problems: string[];
}

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

const NUL_PROBLEM = 'must not contain the NUL character (U+0000), which no store can keep';

/** Every string (or key) in the value that holds a NUL character, by field path. PostgreSQL text cannot hold one. */
export function nulCharacterProblems(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: path || '(value)', problems: [NUL_PROBLEM] }] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
    const field = path ? `${path}.${key}` : key;
    return [...(key.includes('\u0000') ? [{ field, problems: [NUL_PROBLEM] }] : []), ...nulCharacterProblems(inner, field)];
  });
}

/** Validates a plain object against a DTO class: the typed instance, or every problem by field. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, raw: unknown): { value: T } | { problems: FieldProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [{ field: '(record)', problems: ['must be a JSON object'] }] };
  const nul = nulCharacterProblems(raw);
  if (nul.length) return { problems: nul };
  const instance = plainToInstance(cls, raw);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return errors.length ? { problems: flattenValidationErrors(errors) } : { value: instance };
}

function invalidRequest(fields: FieldProblem[]): BadRequestException {
  return new BadRequestException({ message: `invalid request: ${fields.map((f) => f.field).join(', ')}`, fields });
}

/** The class-validator pipe, after a check no decorator makes: no NUL characters in any body, query or path value. */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const nul = nulCharacterProblems(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (nul.length) throw invalidRequest(nul);
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
