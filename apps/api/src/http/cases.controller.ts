/** POST /cases, GET /cases/{id} (with ?asOf=), GET /cases/{id}/events. */
import { BadRequestException, Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '@aftersales/access-control';
import type { CaseCommandAnswer, CaseHistoryEntry, CaseView } from '@aftersales/case-application';
import { GetCaseEventsQuery, GetCaseQuery, OpenCaseCommand } from '@aftersales/case-application';
import { Metrics } from '@aftersales/observability';
import { isInstantOrDay } from '@aftersales/input-validation';
import { OpenCaseDto } from '../dto/open-case.dto';
import { measuredCommand } from './command-metrics';
import { IDEMPOTENCY_KEY, callerContext } from './request-principal';

function parseAsOf(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const at = isInstantOrDay(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new BadRequestException({
      message: 'asOf must be an ISO 8601 time',
      fields: [{ field: 'asOf', problems: ['must be an ISO 8601 time with an offset, such as 2026-03-02T10:00:00Z, or a day that exists'] }],
    });
  }
  return at;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly metrics: Metrics,
  ) {}

  @Post()
  @Roles('service', 'agent')
  @ApiOperation({
    summary: 'Open a case',
    description: 'Idempotency-Key honoured: the same key and body answer the same case; the same key with another body is a 422.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key answer what the first attempt did',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  })
  @ApiResponse({ status: 201, description: 'Opened: caseId, status, revision and SLA due times' })
  @ApiResponse({ status: 400, description: 'Invalid body; every bad field is named' })
  @ApiResponse({ status: 422, description: 'Idempotency-Key reused with another body' })
  async open(@Body() body: OpenCaseDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<CaseCommandAnswer> {
    const context = callerContext(request);
    const answer = await measuredCommand(this.metrics, 'open', () =>
      this.commands.execute<OpenCaseCommand, CaseCommandAnswer>(new OpenCaseCommand({ ...body }, context)),
    );
    response.status(201).location(`/cases/${answer.caseId}`).setHeader('ETag', `"${answer.revision}"`);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer;
  }

  @Get(':id')
  @Roles('agent', 'analyst', 'auditor')
  @ApiOperation({ summary: 'The case now, or as it was at ?asOf=' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO 8601 time' })
  @ApiResponse({ status: 200, description: 'The case: status, parties, SLA clocks, escalation, triage, allowed actions' })
  @ApiResponse({ status: 404, description: 'Unknown case, or the case did not exist yet at asOf' })
  async get(@Param('id') id: string, @Query('asOf') asOf: string | undefined, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    const view = await this.queries.execute<GetCaseQuery, CaseView>(new GetCaseQuery(id, parseAsOf(asOf)));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get(':id/events')
  @Roles('analyst', 'auditor')
  @ApiOperation({ summary: 'The full history of the case with metadata' })
  @ApiResponse({ status: 200, description: 'Every event of the case in revision order, with its metadata and hashes' })
  @ApiResponse({ status: 404, description: 'Unknown case' })
  async events(@Param('id') id: string): Promise<CaseHistoryEntry[]> {
    return this.queries.execute<GetCaseEventsQuery, CaseHistoryEntry[]>(new GetCaseEventsQuery(id));
  }
}
