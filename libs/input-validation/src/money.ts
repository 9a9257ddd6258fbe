/**
 * A money amount: a finite number from 0 to the configured maximum (MAX_AMOUNT) with at most two decimal
 * places. class-validator's own `IsNumber({ maxDecimalPlaces })` throws a TypeError on numbers JavaScript prints
 * in exponent form (5e-324), which turned a bad amount into a 500; this check answers every number. The bound
 * keeps every sum of amounts exact to the cent (a double holds whole cents exactly up to about 9e13).
 */
import { ValidateBy } from 'class-validator';
import type { ValidationArguments, ValidationOptions } from 'class-validator';

export const DEFAULT_MAX_AMOUNT = 1_000_000_000;

let maxAmount = DEFAULT_MAX_AMOUNT;

/** Sets the largest amount accepted anywhere (from MAX_AMOUNT, at start-up). */
export function setMaxAmount(max: number): void {
  if (!Number.isFinite(max) || max <= 0) throw new Error(`the maximum amount must be a finite number above 0, got ${max}`);
  maxAmount = max;
}

export function currentMaxAmount(): number {
  return maxAmount;
}

function hasAtMostTwoDecimals(value: number): boolean {
  const text = String(value);
  if (/e/i.test(text)) return Number.isInteger(value); // 1e+21 is whole; 5e-324 has more than two decimals
  const decimals = text.split('.')[1];
  return decimals === undefined || decimals.length <= 2;
}

/** Finite, two decimals at most, within [-MAX_AMOUNT, MAX_AMOUNT]; the sign is for @Min / @IsPositive to decide. */
export function isMoneyAmount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= maxAmount && hasAtMostTwoDecimals(value);
}

function moneyMessage(args?: ValidationArguments): string {
  const value = args?.value;
  const property = args?.property ?? 'amount';
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) > maxAmount) return `${property} must be at most ${maxAmount} (MAX_AMOUNT)`;
  if (typeof value === 'number' && Number.isFinite(value)) return `${property} must be a number with at most two decimal places`;
  return `${property} must be a finite number of at most ${maxAmount} with at most two decimal places`;
}

export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isMoneyAmount', validator: { validate: isMoneyAmount, defaultMessage: moneyMessage } }, options);
}
