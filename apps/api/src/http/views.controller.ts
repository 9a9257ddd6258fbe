/** GET /views/...: the escalation, satisfaction, loyalty and early-warning read models. */
import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import { CLOCK, SLA_POLICY } from '@aftersales/case-application';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import { readEscalationView, readLoyaltyCustomer, readLoyaltyImpact, readRaisedSignals, readSatisfaction } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { READ_MODELS } from '../composition/tokens';
import { EarlyWarningQuery, EscalationQuery, ImpactQuery, SatisfactionQuery } from '../dto/view-queries.dto';
import { EarlyWarningViewDto } from '../dto/early-warning-view.dto';

@ApiTags('views')
@ApiBearerAuth()
@Controller('views')
export class ViewsController {
  constructor(
    @Inject(READ_MODELS) private readonly sql: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
  ) {}

  @Get('escalation')
  @Roles('analyst', 'agent')
  @ApiOperation({ summary: 'Open cases with level, due times, time left and breached flags; at-risk and breached lists' })
  escalation(@Query() q: EscalationQuery) {
    return readEscalationView(this.sql, q, this.clock.now(), this.slaPolicy.warningRatio);
  }

  @Get('satisfaction')
  @Roles('analyst')
  @ApiOperation({ summary: 'CSAT, NPS, response and resolution times, FCR, reopen, complaint resolution and SLA compliance, grouped' })
  async satisfaction(@Query() q: SatisfactionQuery) {
    const groupBy = q.groupBy ?? 'merchant';
    return { groupBy, groups: await readSatisfaction(this.sql, { ...q, groupBy }) };
  }

  @Get('loyalty/customers/:id')
  @Roles('analyst')
  @ApiOperation({ summary: "A customer's orders, spend, cases by outcome, CSAT, points, tier, repurchase and churn risk" })
  async customer(@Param('id') id: string) {
    const found = await readLoyaltyCustomer(this.sql, id, this.clock.now());
    if (!found) throw new NotFoundException({ code: 'CUSTOMER_NOT_FOUND', message: `no orders or cases are known for customer ${id}` });
    return found;
  }

  @Get('loyalty/impact')
  @Roles('analyst')
  @ApiOperation({ summary: 'Repurchase rate after a case, by case outcome and by CSAT band' })
  impact(@Query() q: ImpactQuery) {
    return readLoyaltyImpact(this.sql, q, this.clock.now());
  }

  @Get('early-warning')
  @Roles('analyst', 'agent')
  @ApiOperation({
    summary: 'Early warning (预警): cases about to breach and the signals raised (complaint spikes, negative sentiment, repeat contacts, SLA breach rate)',
  })
  @ApiOkResponse({ type: EarlyWarningViewDto, description: 'At-risk cases and raised signals, filtered by merchant and kind' })
  async earlyWarning(@Query() q: EarlyWarningQuery): Promise<EarlyWarningViewDto> {
    const now = this.clock.now();
    const escalation = await readEscalationView(this.sql, { state: 'at-risk', merchantId: q.merchantId }, now, this.slaPolicy.warningRatio);
    return { asOf: escalation.asOf, atRisk: escalation.atRisk, signals: await readRaisedSignals(this.sql, { merchantId: q.merchantId, kind: q.kind }) };
  }
}
