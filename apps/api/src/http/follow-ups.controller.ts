/** GET /views/follow-ups: the follow-up visits (回访) due or done, from the follow-up process manager's table. */
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import { CLOCK } from '@aftersales/case-application';
import type { Clock } from '@aftersales/case-domain';
import { listFollowUps } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { READ_MODELS } from '../composition/tokens';
import { FollowUpsQuery, FollowUpsViewDto } from '../dto/follow-ups.dto';

@ApiTags('views')
@ApiBearerAuth()
@Controller('views')
export class FollowUpsController {
  constructor(
    @Inject(READ_MODELS) private readonly sql: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('follow-ups')
  @Roles('agent', 'analyst')
  @ApiOperation({ summary: 'Follow-up visits (回访): each closed case with its follow-up due time, status (DUE or DONE) and outcome' })
  @ApiOkResponse({ type: FollowUpsViewDto, description: 'Follow-ups due at or before dueBefore, earliest due first, filtered by status' })
  @ApiBadRequestResponse({ description: 'An invalid dueBefore, status or limit, or an unknown parameter; each is named' })
  async followUps(@Query() q: FollowUpsQuery): Promise<FollowUpsViewDto> {
    return { asOf: this.clock.now().toISOString(), followUps: await listFollowUps(this.sql, q) };
  }
}
