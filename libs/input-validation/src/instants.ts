/**
 * Times and days in query parameters and bodies: ISO 8601 with a four-digit year and a real calendar date
 * (2026-02-30 is refused), so every accepted value converts to a timestamp in every store. A bad one is a 400
 * naming the field, never a 500 from the database.
 */
import { ValidateBy } from 'class-validator';
import type { ValidationArguments, ValidationOptions } from 'class-validator';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return year >= 1 && days !== undefined && day >= 1 && day <= days;
}

/** A day such as 2026-03-01 that exists in the calendar. */
export function isCalendarDay(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DAY.exec(value);
  return !!m && realDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A time such as 2026-03-01T10:00:00Z (offset required) on a real day, with a valid clock time and offset. */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = INSTANT.exec(value);
  if (!m || !realDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
  if (m[7] !== 'Z' && (Number(m[7].slice(1, 3)) > 23 || Number(m[7].slice(-2)) > 59)) return false;
  return Number.isFinite(Date.parse(value));
}

export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDay',
      validator: { validate: isCalendarDay, defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a day that exists, such as 2026-03-01` },
    },
    options,
  );
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be an ISO 8601 time with an offset on a real day, such as 2026-03-01T10:00:00Z`,
      },
    },
    options,
  );
}

/** A time as for isInstant, or a day as for isCalendarDay (midnight UTC): the filters of views and reports. */
export function isInstantOrDay(value: unknown): boolean {
  return isInstant(value) || isCalendarDay(value);
}

export function IsInstantOrDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantOrDay',
      validator: {
        validate: isInstantOrDay,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be a day that exists (2026-03-01) or an ISO 8601 time with an offset (2026-03-01T10:00:00Z)`,
      },
    },
    options,
  );
}
