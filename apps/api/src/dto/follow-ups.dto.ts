/**
 * GET /views/follow-ups: its query (unknown parameters refused) and its answer, for validation and the OpenAPI
 * document. The entry class implements the read model's own entry type, so the two cannot drift apart.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstantOrDay } from '@aftersales/input-validation';
import { CASE_TYPES, FOLLOW_UP_OUTCOMES } from '@aftersales/case-domain';
import type { FollowUpOutcome } from '@aftersales/case-domain';
import { FOLLOW_UP_STATUSES } from '@aftersales/read-models';
import type { FollowUpEntry, FollowUpStatus } from '@aftersales/read-models';

export class FollowUpsQuery {
  @ApiPropertyOptional({
    example: '2026-03-05T18:00:00Z',
    description: 'Follow-ups due at or before this time (a day means its midnight UTC); all when absent',
  })
  @IsOptional()
  @IsInstantOrDay()
  dueBefore?: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES, description: 'DUE: not recorded yet; DONE: recorded' })
  @IsOptional()
  @IsIn(FOLLOW_UP_STATUSES)
  status?: FollowUpStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class FollowUpEntryDto implements FollowUpEntry {
  @ApiProperty({ format: 'uuid' })
  caseId!: string;

  @ApiProperty({ minimum: 1, description: "The follow-up's number on the case (a case reopened and closed again gets another)" })
  sequence!: number;

  @ApiProperty()
  merchantId!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty({ enum: CASE_TYPES })
  caseType!: string;

  @ApiProperty({ format: 'date-time' })
  closedAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Closure + FOLLOW_UP_DAYS (per case type); null for a closure made before follow-ups were scheduled',
  })
  dueAt!: string | null;

  @ApiProperty({ enum: FOLLOW_UP_STATUSES })
  status!: FollowUpStatus;

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, nullable: true, type: String })
  outcome!: FollowUpOutcome | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  recordedAt!: string | null;
}

export class FollowUpsViewDto {
  @ApiProperty({ format: 'date-time', description: 'The time of the question' })
  asOf!: string;

  @ApiProperty({ type: [FollowUpEntryDto], description: 'Earliest due first' })
  followUps!: FollowUpEntryDto[];
}
