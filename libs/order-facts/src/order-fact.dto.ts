/** The validation rules of an order fact record, shared by Kafka intake and POST /order-events. */
import { IsMoneyAmount, IsInstant } from '@aftersales/input-validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { OrderFactItem, OrderFactRecord, OrderFactWireType } from './order-fact';
import { DEPRECATED_ORDER_FACT_WIRE_TYPES, ORDER_FACT_WIRE_TYPES, SPEC_ORDER_FACT_WIRE_TYPES, storedOrderFactType } from './order-fact';

/** The order a record is about, and whose: shared by order facts and by opening a case. */
export class OrderPartiesDto {
  @ApiProperty({ example: 'ord-1001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId!: string;

  @ApiProperty({ example: 'cust-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId!: string;

  @ApiProperty({ example: 'merch-9' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  merchantId!: string;
}

export class OrderFactItemDto implements OrderFactItem {
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

  @ApiProperty({ example: 59.9, minimum: 0, description: 'Unit price, at most MAX_AMOUNT' })
  @IsMoneyAmount()
  @Min(0)
  amount!: number;
}

export class OrderFactDto extends OrderPartiesDto implements OrderFactRecord {
  @ApiProperty({ example: 'oms-evt-000123', description: "The producer's id of this fact; a repeated id is ignored, whatever order it names" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  eventId!: string;

  @ApiProperty({
    enum: ORDER_FACT_WIRE_TYPES,
    example: 'PLACED',
    description: `${SPEC_ORDER_FACT_WIRE_TYPES.join(', ')}; deprecated aliases: ${DEPRECATED_ORDER_FACT_WIRE_TYPES.join(', ')}`,
  })
  @IsDefined()
  @IsIn(ORDER_FACT_WIRE_TYPES)
  type!: OrderFactWireType;

  @ApiProperty({ example: '2026-03-01T10:00:00Z', description: 'At most 5 minutes ahead of the server clock' })
  @IsDefined()
  @IsInstant()
  occurredAt!: string;

  @ApiPropertyOptional({
    example: 119.8,
    description: 'Order total, a finite number from 0 to MAX_AMOUNT; required on PLACED; on REFUNDED the amount refunded (absent: the whole order)',
  })
  @ValidateIf((r: OrderFactDto) => storedOrderFactType(r.type) === 'OrderPlaced' || r.amount !== undefined)
  @IsMoneyAmount()
  @Min(0)
  amount?: number;

  @ApiPropertyOptional({ example: 'EUR' })
  @ValidateIf((r: OrderFactDto) => r.amount !== undefined || r.currency !== undefined)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: 'order-service' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ type: [OrderFactItemDto], maxItems: 200 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderFactItemDto)
  items?: OrderFactItemDto[];
}
