/**
 * POST /order-events: a batch of up to 1,000 order facts, the same records as the `orders.events.v1` topic. Each
 * record is checked on its own (its reasons reported, the others stored); the body may be up to 2 MB
 * (body-parsing.ts, docs/http-api.md).
 */
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { RecordsCheckedOneByOne } from '@aftersales/input-validation';
import type { Request } from 'express';
import { Roles } from '@aftersales/access-control';
import type { OrderFactIntake } from '@aftersales/order-facts';
import { OrderFactDto } from '@aftersales/order-facts';
import { currentContext } from '@aftersales/observability';
import { ORDER_INTAKE } from '../composition/tokens';
import { callerOf } from './request-principal';

/** Records per request; a realistic batch of this many fits the route's body limit with room to spare. */
export const MAX_ORDER_FACTS_PER_REQUEST = 1000;

@RecordsCheckedOneByOne()
export class OrderEventsBatch {
  @ApiProperty({
    type: [OrderFactDto],
    maxItems: MAX_ORDER_FACTS_PER_REQUEST,
    description: 'Each record is checked on its own: bad ones are reported with their reasons, the rest go on',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_FACTS_PER_REQUEST)
  events!: unknown[];
}

@ApiTags('order facts')
@ApiBearerAuth()
@Controller('order-events')
export class OrderEventsController {
  constructor(@Inject(ORDER_INTAKE) private readonly intake: OrderFactIntake) {}

  @Post()
  @HttpCode(200)
  @Roles('service')
  @ApiOperation({
    summary:
      'Record order facts; a repeated eventId is ignored (reported as duplicate), a malformed record, one dated more than 5 minutes ahead or with an amount outside 0..MAX_AMOUNT is refused with its reasons',
  })
  async ingest(@Body() batch: OrderEventsBatch, @Req() request: Request) {
    const results = await this.intake.ingest(batch.events, {
      deliveredBy: callerOf(request).id,
      correlationId: currentContext()?.correlationId,
    });
    return {
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      results: results.map((r, index) => ({ index, ...r })),
    };
  }
}
