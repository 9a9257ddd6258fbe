/**
 * GET /audit/cases/{id}/verify (the hash chain of one case, held against its anchors), GET /audit/anchors (the
 * anchor chain and its newest anchor, to keep outside the system) and GET /audit/compliance (rule violations).
 */
import { BadRequestException, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsInstantOrDay } from '@aftersales/input-validation';
import { CLOCK, EVENT_STORE } from '@aftersales/case-application';
import type { Clock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { verifyAnchorChain } from '@aftersales/event-store';
import { JsonLogger, Metrics } from '@aftersales/observability';
import { Gauge } from 'prom-client';
import type { JurisdictionProfiles, Profile, Rule } from '@aftersales/compliance';
import { RULES, complianceReport, toCsv } from '@aftersales/compliance';
import { JURISDICTION_PROFILES } from '../composition/tokens';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import type { CaseChainVerification } from '@aftersales/case-application';
import { VerifyCaseChainQuery } from '@aftersales/case-application';

export class ComplianceQuery {
  @ApiPropertyOptional({ description: 'Jurisdiction profile: CN, EU, or one configured in COMPLIANCE_PROFILES_FILE (e.g. BR)', default: 'EU', example: 'CN' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'profile must name a jurisdiction profile (CN, EU or a configured one)' })
  profile?: Profile;

  @ApiPropertyOptional({ enum: RULES })
  @IsOptional()
  @IsIn(RULES)
  rule?: Rule;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  merchantId?: string;

  @ApiPropertyOptional({ description: 'Cases opened at or after' })
  @IsOptional()
  @IsInstantOrDay()
  from?: string;

  @ApiPropertyOptional({ description: 'Cases opened at or before' })
  @IsOptional()
  @IsInstantOrDay()
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class AnchorsQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'Also answer this anchor (`at`): compare it with the sequence and hash kept from an earlier export' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sequence?: number;
}

/** One gauge per metrics registry: malformed events the latest compliance report skipped, by event type. */
const malformedGauges = new WeakMap<Metrics, Gauge<'type'>>();
function malformedGauge(metrics: Metrics): Gauge<'type'> {
  let gauge = malformedGauges.get(metrics);
  if (!gauge) {
    gauge = new Gauge({
      name: 'aftersales_compliance_malformed_events',
      help: 'Malformed events the latest compliance report skipped (and listed in malformedEvents), by event type',
      labelNames: ['type'],
      registers: [metrics.registry],
    });
    malformedGauges.set(metrics, gauge);
  }
  return gauge;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JURISDICTION_PROFILES) private readonly jurisdictions: JurisdictionProfiles,
    private readonly logger: JsonLogger,
    private readonly metrics: Metrics,
  ) {}

  @Get('compliance')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Rule violations (CN, EU or a configured jurisdiction profile) by rule, period and merchant; each links to the case and the events that prove it',
  })
  async compliance(@Query() q: ComplianceQuery, @Res({ passthrough: true }) response: Response) {
    const profile = q.profile ?? 'EU';
    if (!this.jurisdictions.get(profile)) {
      const known = `known: ${this.jurisdictions.ids().join(', ')}`;
      throw new BadRequestException({
        message: `no jurisdiction profile '${profile}'; ${known}`,
        fields: [{ field: 'profile', problems: [`is not a jurisdiction profile; ${known}`] }],
      });
    }
    const byType = new Map<string, number>();
    const report = await complianceReport(this.store, { profile, rule: q.rule, merchantId: q.merchantId, from: q.from, to: q.to }, this.clock.now(), {
      profiles: this.jurisdictions,
      onMalformed: (m) => {
        byType.set(m.type, (byType.get(m.type) ?? 0) + 1);
        this.logger.event('warn', 'malformed event skipped by the compliance report', { ...m });
      },
    });
    const gauge = malformedGauge(this.metrics);
    gauge.reset();
    for (const [type, count] of byType) gauge.set({ type }, count);
    if (q.format !== 'csv') return report;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="compliance-${report.profile}.csv"`);
    return toCsv(report);
  }

  @Get('anchors')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Verify the anchor chain (one anchor per append, recording the stream head it left); answers whether it holds, its first broken anchor, and the newest anchor to keep outside the system (docs/audit-trail.md)',
  })
  async anchors(@Query() q: AnchorsQuery) {
    const verifier = await verifyAnchorChain(this.store);
    const at =
      q.sequence === undefined
        ? undefined
        : ((await this.store.readAnchors({ afterSequence: q.sequence - 1, maxCount: 1 })).find((a) => a.sequence === q.sequence) ?? null);
    return {
      ...verifier.result(),
      anchoredStreams: verifier.anchoredStreams().length,
      ...(at !== undefined ? { at } : {}),
      verifiedAt: this.clock.now().toISOString(),
    };
  }

  @Get('cases/:id/verify')
  @Roles('auditor')
  @ApiOperation({
    summary:
      "Recompute the case stream's SHA-256 hash chain and hold it against the stream's anchors; names the first broken link (HEAD_DELETED when newest events or the whole stream were deleted) and the store's newest anchor (docs/audit-trail.md)",
  })
  @ApiResponse({ status: 200, description: 'The chain check: valid, events, head hash, the first broken link, the anchored head' })
  @ApiResponse({ status: 404, description: 'Unknown case' })
  verify(@Param('id') id: string): Promise<CaseChainVerification> {
    return this.queries.execute<VerifyCaseChainQuery, CaseChainVerification>(new VerifyCaseChainQuery(id));
  }
}
