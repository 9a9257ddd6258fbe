/**
 * The answer of GET /views/early-warning, for the OpenAPI document. The signal classes implement the one shared
 * signal type (libs/early-warning), so the document, the API and the console cannot drift apart.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNAL_KINDS } from '@aftersales/early-warning';
import type { EarlyWarningSignal, SignalKind, SignalScope } from '@aftersales/early-warning';

export class SignalScopeDto implements SignalScope {
  @ApiPropertyOptional()
  merchantId?: string;

  @ApiPropertyOptional({ description: 'Set on a complaint spike of one product' })
  sku?: string;

  @ApiPropertyOptional()
  reason?: string;
}

export class EarlyWarningSignalDto implements EarlyWarningSignal {
  @ApiProperty({ enum: SIGNAL_KINDS })
  kind!: SignalKind;

  @ApiProperty({ type: SignalScopeDto })
  scope!: SignalScopeDto;

  @ApiProperty({ example: 'PT24H', description: 'The observation window (ISO 8601 duration)' })
  window!: string;

  @ApiProperty({ description: 'The measure in the window: cases (COMPLAINT_SPIKE, REPEAT_CONTACTS) or a share 0..1' })
  observed!: number;

  @ApiProperty({ description: 'The trailing baseline: a daily mean of cases over up to 28 days, or a share' })
  baseline!: number;

  @ApiProperty({ description: 'observed / baseline, the baseline floored (1/28 of a case a day, or 1 %)' })
  score!: number;

  @ApiProperty({ format: 'date-time', description: 'When the signal was raised' })
  since!: string;
}

export class EarlyWarningViewDto {
  @ApiProperty({ format: 'date-time' })
  asOf!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Open cases about to breach (a running SLA clock past its warning point), as in GET /views/escalation?state=at-risk',
  })
  atRisk!: object[];

  @ApiProperty({ type: [EarlyWarningSignalDto], description: 'Signals raised now, by kind, highest score first' })
  signals!: EarlyWarningSignalDto[];
}
