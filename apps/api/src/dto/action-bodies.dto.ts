/**
 * Bodies of POST /cases/{id}/{action}, one class per shape of spec section 7. Every body may carry
 * `expectedRevision`; unknown fields are refused.
 */
import { IsInstantOrDay, IsMoneyAmount } from '@aftersales/input-validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsPositive, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { FollowUpOutcome, ResolutionKind, ReturnCondition } from '@aftersales/case-domain';
import { FOLLOW_UP_OUTCOMES, RESOLUTION_KINDS, RETURN_CONDITIONS } from '@aftersales/case-domain';
import { CURRENCY_PATTERN } from './open-case.dto';

const CURRENCY_MESSAGE = { message: 'currency must be a three-letter ISO 4217 code such as EUR' };

export class ActionBody {
  @ApiPropertyOptional({ minimum: 0, description: 'Refuse the action unless the case is at this revision (or send If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number;
}

export class NoteBody extends ActionBody {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CloseBody extends NoteBody {
  @ApiPropertyOptional({ example: 'RESOLVED', description: 'Defaults to RESOLVED or REJECTED after how the case ended' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'reasonCode must be an upper-case code such as RESOLVED' })
  reasonCode?: string;
}

export class AssignBody extends ActionBody {
  @ApiProperty({ example: 'agent-7' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  agentId!: string;

  @ApiPropertyOptional({ example: 'returns' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  team?: string;
}

export class MessageBody extends ActionBody {
  @ApiProperty({ example: 'Could you send a photo of the label?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  message!: string;
}

export class EscalateBody extends ActionBody {
  @ApiProperty({ enum: ['L1', 'L2', 'L3'] })
  @IsDefined()
  @IsIn(['L1', 'L2', 'L3'])
  level!: 'L1' | 'L2' | 'L3';

  @ApiProperty({ example: 'Third defect on the same model' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ProposeResolutionBody extends ActionBody {
  @ApiProperty({ enum: RESOLUTION_KINDS })
  @IsDefined()
  @IsIn(RESOLUTION_KINDS)
  kind!: ResolutionKind;

  @ApiPropertyOptional({ example: 30, description: 'Required for PARTIAL_REFUND' })
  @ValidateIf((body: ProposeResolutionBody) => body.kind === 'PARTIAL_REFUND' || body.amount !== undefined)
  @IsMoneyAmount()
  @IsPositive()
  amount?: number;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(CURRENCY_PATTERN, CURRENCY_MESSAGE)
  currency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AuthorizeReturnBody extends ActionBody {
  @ApiPropertyOptional({ example: 'RMA-2026-0001', description: 'Generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{3,64}$/, { message: 'rmaNumber must be 3-64 letters, digits or dashes' })
  rmaNumber?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsInstantOrDay()
  returnBy?: string;
}

export class ShipmentBody extends ActionBody {
  @ApiProperty({ example: 'DHL' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier!: string;

  @ApiProperty({ example: 'JD014600006281' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber!: string;
}

export class ReturnReceivedBody extends ActionBody {
  @ApiProperty({ enum: RETURN_CONDITIONS })
  @IsDefined()
  @IsIn(RETURN_CONDITIONS)
  condition!: ReturnCondition;
}

export class IssueRefundBody extends ActionBody {
  @ApiProperty({ example: 59.9 })
  @IsMoneyAmount()
  @IsPositive()
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  @IsDefined()
  @Matches(CURRENCY_PATTERN, CURRENCY_MESSAGE)
  currency!: string;
}

export class GrantCompensationBody extends ActionBody {
  @ApiPropertyOptional({ example: 500 })
  @IsOptional()
  @IsInt()
  @IsPositive()
  @Max(10_000_000)
  points?: number;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsMoneyAmount()
  @IsPositive()
  couponAmount?: number;

  @ApiPropertyOptional({ example: 'EUR' })
  @ValidateIf((body: GrantCompensationBody) => body.couponAmount !== undefined || body.currency !== undefined)
  @Matches(CURRENCY_PATTERN, CURRENCY_MESSAGE)
  currency?: string;
}

export class ResolveBody extends ActionBody {
  @ApiProperty({ example: 'Refunded in full after the return was inspected' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  summary!: string;
}

export class RejectBody extends ActionBody {
  @ApiProperty({ example: 'OUT_OF_WARRANTY' })
  @IsDefined()
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'reasonCode must be an upper-case code such as OUT_OF_WARRANTY' })
  reasonCode!: string;

  @ApiPropertyOptional({ example: 'Warranty terms §4.2' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ReasonBody extends ActionBody {
  @ApiProperty({ example: 'The refund never arrived' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class SatisfactionBody extends ActionBody {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  nps?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class FollowUpBody extends ActionBody {
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES })
  @IsDefined()
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: FollowUpOutcome;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
