/**
 * Body of POST /cases. Unknown fields are refused; every invalid field is named in the 400. The body is the
 * domain's `OpenCasePayload` field for field (checked at compile time at the end of this file), so the validation
 * rules here are the only thing the HTTP layer adds to it.
 */
import { IsMoneyAmount } from '@aftersales/input-validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type {
  CaseItem,
  CaseType,
  Channel,
  ContactDetails,
  CustomerTier,
  OpenCasePayload,
  Priority,
  ResolutionKind,
  ReturnExemption,
} from '@aftersales/case-domain';
import { CASE_TYPES, CHANNELS, CUSTOMER_TIERS, PRIORITIES, RESOLUTION_KINDS, RETURN_EXEMPTIONS } from '@aftersales/case-domain';
import { OrderPartiesDto } from '@aftersales/order-facts';

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export class CaseItemDto {
  @ApiProperty({ example: 'SHOE-42' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity!: number;

  @ApiProperty({ example: 59.9, minimum: 0, description: 'Unit price in the case currency' })
  @IsMoneyAmount()
  @Min(0)
  @Max(10_000_000)
  amount!: number;

  @ApiPropertyOptional({ enum: RETURN_EXEMPTIONS, description: 'Exempt from no-reason return (made to order, perishable, …)' })
  @IsOptional()
  @IsIn(RETURN_EXEMPTIONS)
  returnExemption?: ReturnExemption;
}

export class ContactDto {
  @ApiPropertyOptional({ example: 'Li Wei' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: '+86 138 0000 0000' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,30}$/, { message: 'phone must be digits, spaces, ( ) - and an optional leading +' })
  phone?: string;

  @ApiPropertyOptional({ example: 'li.wei@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class OpenCaseDto extends OrderPartiesDto {
  @ApiProperty({ enum: CASE_TYPES })
  @IsDefined()
  @IsIn(CASE_TYPES)
  type!: CaseType;

  @ApiProperty({ enum: CHANNELS })
  @IsDefined()
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'NORMAL' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ enum: CUSTOMER_TIERS, default: 'STANDARD' })
  @IsOptional()
  @IsIn(CUSTOMER_TIERS)
  customerTier?: CustomerTier;

  @ApiProperty({ example: 'Wrong size' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiProperty({ example: 'The shoes are one size too small.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  description!: string;

  @ApiPropertyOptional({ type: [CaseItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CaseItemDto)
  items?: CaseItemDto[];

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code of every amount on the case' })
  @IsOptional()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ enum: RESOLUTION_KINDS })
  @IsOptional()
  @IsIn(RESOLUTION_KINDS)
  requestedResolution?: ResolutionKind;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}

/** True when A and B have the same fields, each assignable to the other's. */
type SameShape<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? [A] extends [B]
    ? [B] extends [A]
      ? true
      : false
    : false
  : false;
type Assert<T extends true> = T;
/** Fails to compile when a DTO and the domain type it carries gain, lose or retype a field. */
export type OpenCaseDtoMatchesDomain = [
  Assert<SameShape<OpenCaseDto, OpenCasePayload>>,
  Assert<SameShape<CaseItemDto, CaseItem>>,
  Assert<SameShape<ContactDto, ContactDetails>>,
];
