/**
 * Validation at the edge: the global ValidationPipe (whitelist, refuse unknown fields, name every invalid field
 * in the 400), and the same rules for records that arrive outside HTTP (Kafka).
 */
import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Validates a plain object against a DTO class: the typed instance, or every problem by field. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, raw: unknown): { value: T } | { problems: FieldProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [{ field: '(record)', problems: ['must be a JSON object'] }] };
  const instance = plainToInstance(cls, raw);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return errors.length ? { problems: flattenValidationErrors(errors) } : { value: instance };
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException({
        message: `invalid request: ${fields.map((f) => f.field).join(', ')}`,
        fields,
      });
    },
  });
}
