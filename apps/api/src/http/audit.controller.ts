/** GET /audit/cases/{id}/verify: the hash-chain check of one case, for auditors. */
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import type { CaseChainVerification } from '@aftersales/case-application';
import { VerifyCaseChainQuery } from '@aftersales/case-application';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('cases/:id/verify')
  @Roles('auditor')
  @ApiOperation({ summary: "Recompute the case stream's SHA-256 hash chain; names the first broken link (docs/audit-trail.md)" })
  @ApiResponse({ status: 404, description: 'Unknown case' })
  verify(@Param('id') id: string): Promise<CaseChainVerification> {
    return this.queries.execute<VerifyCaseChainQuery, CaseChainVerification>(new VerifyCaseChainQuery(id));
  }
}
