/** POST /order-events: a batch of order facts, the same records as the `orders.events.v1` topic. */
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import type { Request } from 'express';
import { Roles } from '@aftersales/access-control';
import type { OrderFactIntake } from '@aftersales/order-facts';
import { OrderFactDto } from '@aftersales/order-facts';
import { currentContext } from '@aftersales/observability';
import { ORDER_INTAKE } from '../composition/tokens';
import { callerOf } from './request-principal';

export class OrderEventsBatch {
  @ApiProperty({ type: [OrderFactDto], description: 'Each record is checked on its own: bad ones are reported, the rest go on' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
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
  @ApiOperation({ summary: 'Record order facts; duplicates (same eventId) are ignored, malformed records are reported with their problems' })
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
