/** GET /health (liveness and the store's readiness) and GET /metrics (Prometheus text format). */
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@aftersales/access-control';
import { EVENT_STORE } from '@aftersales/case-application';
import type { EventStore } from '@aftersales/event-store';
import { Metrics } from '@aftersales/observability';
import { asyncApiDocument } from '../asyncapi';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Health: 200 when the event store answers, 503 otherwise' })
  async health(@Res({ passthrough: true }) response: Response) {
    const started = Date.now();
    try {
      await this.store.ping();
      return { status: 'ok', eventStore: { kind: this.store.kind, status: 'up', latencyMs: Date.now() - started } };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', eventStore: { kind: this.store.kind, status: 'down', error: (error as Error).message } };
    }
  }

  @Get('asyncapi.json')
  @Public()
  @ApiOperation({ summary: 'AsyncAPI document of the Kafka topics (docs/kafka.md)' })
  asyncApi(): Record<string, unknown> {
    return asyncApiDocument();
  }

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
