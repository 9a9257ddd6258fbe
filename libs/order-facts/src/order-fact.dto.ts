/** The validation rules of an order fact record, shared by Kafka intake and POST /order-events. */
import { IsMoneyAmount } from '@aftersales/input-validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import type { OrderFactRecord, OrderFactType } from './order-fact';
import { ORDER_FACT_TYPES } from './order-fact';

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

export class OrderFactDto extends OrderPartiesDto implements OrderFactRecord {
  @ApiProperty({ example: 'oms-evt-000123', description: "The producer's id of this fact; repeated ids are ignored" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  eventId!: string;

  @ApiProperty({ enum: ORDER_FACT_TYPES })
  @IsDefined()
  @IsIn(ORDER_FACT_TYPES)
  type!: OrderFactType;

  @ApiProperty({ example: '2026-03-01T10:00:00Z' })
  @IsDefined()
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @ApiPropertyOptional({ example: 119.8, description: 'Order total; required on OrderPlaced' })
  @ValidateIf((r: OrderFactDto) => r.type === 'OrderPlaced' || r.amount !== undefined)
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
}
