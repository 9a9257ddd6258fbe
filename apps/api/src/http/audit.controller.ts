/** GET /audit/cases/{id}/verify (the hash chain of one case) and GET /audit/compliance (rule violations). */
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { CLOCK, EVENT_STORE } from '@aftersales/case-application';
import type { Clock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import type { Profile, Rule } from '@aftersales/compliance';
import { PROFILES, RULES, complianceReport, toCsv } from '@aftersales/compliance';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import type { CaseChainVerification } from '@aftersales/case-application';
import { VerifyCaseChainQuery } from '@aftersales/case-application';

export class ComplianceQuery {
  @ApiPropertyOptional({ enum: PROFILES, default: 'EU' })
  @IsOptional()
  @IsIn(PROFILES)
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
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Cases opened at or before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('compliance')
  @Roles('auditor')
  @ApiOperation({ summary: 'Rule violations (CN or EU profile) by rule, period and merchant; each links to the case and the events that prove it' })
  async compliance(@Query() q: ComplianceQuery, @Res({ passthrough: true }) response: Response) {
    const report = await complianceReport(this.store, { profile: q.profile ?? 'EU', rule: q.rule, merchantId: q.merchantId, from: q.from, to: q.to }, this.clock.now());
    if (q.format !== 'csv') return report;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="compliance-${report.profile}.csv"`);
    return toCsv(report);
  }

  @Get('cases/:id/verify')
  @Roles('auditor')
  @ApiOperation({ summary: "Recompute the case stream's SHA-256 hash chain; names the first broken link (docs/audit-trail.md)" })
  @ApiResponse({ status: 404, description: 'Unknown case' })
  verify(@Param('id') id: string): Promise<CaseChainVerification> {
    return this.queries.execute<VerifyCaseChainQuery, CaseChainVerification>(new VerifyCaseChainQuery(id));
  }
}
