/** Query parameters of the /views endpoints; unknown parameters are refused like unknown body fields. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDay, IsInstantOrDay } from '@aftersales/input-validation';
import { CASE_TYPES, CHANNELS, ESCALATION_LEVELS } from '@aftersales/case-domain';
import type { EscalationLevel } from '@aftersales/case-domain';
import { SIGNAL_KINDS } from '@aftersales/early-warning';
import type { SignalKind } from '@aftersales/early-warning';
import { SATISFACTION_DIMENSIONS } from '@aftersales/read-models';
import type { SatisfactionDimension } from '@aftersales/read-models';

export class EscalationQuery {
  @ApiPropertyOptional({ enum: ESCALATION_LEVELS })
  @IsOptional()
  @IsIn(ESCALATION_LEVELS)
  level?: EscalationLevel;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  team?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assignee?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  merchantId?: string;

  @ApiPropertyOptional({ enum: ['at-risk', 'breached'] })
  @IsOptional()
  @IsIn(['at-risk', 'breached'])
  state?: 'at-risk' | 'breached';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SatisfactionQuery {
  @ApiPropertyOptional({ enum: Object.keys(SATISFACTION_DIMENSIONS), default: 'merchant' })
  @IsOptional()
  @IsIn(Object.keys(SATISFACTION_DIMENSIONS))
  groupBy?: SatisfactionDimension;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  merchantId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  team?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'First day the case was opened (inclusive)' })
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day the case was opened (inclusive)' })
  @IsOptional()
  @IsCalendarDay()
  to?: string;
}

export class ImpactQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  merchantId?: string;

  @ApiPropertyOptional({ description: 'Closure at or after this time' })
  @IsOptional()
  @IsInstantOrDay()
  from?: string;

  @ApiPropertyOptional({ description: 'Closure at or before this time' })
  @IsOptional()
  @IsInstantOrDay()
  to?: string;
}

export class EarlyWarningQuery {
  @ApiPropertyOptional({ description: 'Only this merchant: its at-risk cases and its signals' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  merchantId?: string;

  @ApiPropertyOptional({ enum: SIGNAL_KINDS, description: 'Only signals of this kind' })
  @IsOptional()
  @IsIn(SIGNAL_KINDS)
  kind?: SignalKind;
}
