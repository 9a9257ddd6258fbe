/**
 * A money amount: a finite number with at most two decimal places. class-validator's own
 * `IsNumber({ maxDecimalPlaces })` throws a TypeError on numbers JavaScript prints in exponent form (5e-324),
 * which turned a bad amount into a 500; this check answers every number.
 */
import { ValidateBy, buildMessage } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

export function isMoneyAmount(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const text = String(value);
  if (/e/i.test(text)) return Number.isInteger(value); // 1e+21 is whole; 5e-324 has more than two decimals
  const decimals = text.split('.')[1];
  return decimals === undefined || decimals.length <= 2;
}

export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isMoneyAmount', validator: { validate: isMoneyAmount, defaultMessage: buildMessage((each) => `${each}$property must be a number with at most two decimal places`, options) } },
    options,
  );
}
