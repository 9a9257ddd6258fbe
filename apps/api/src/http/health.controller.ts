/**
 * GET /health/live (the process answers), GET /health (readiness: the event store and, with Kafka as the
 * transport, the broker; 503 when any is down) and GET /metrics (Prometheus text format).
 */
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { KAFKA_TOPICS } from '../composition/tokens';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@aftersales/access-control';
import { Metrics, Readiness } from '@aftersales/observability';
import { asyncApiDocument } from '../asyncapi';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    @Inject(KAFKA_TOPICS) private readonly topics: KafkaTopics,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Readiness: 200 when the event store (and Kafka, when it is the transport) answers, 503 otherwise' })
  async health(@Res({ passthrough: true }) response: Response) {
    const report = await this.readiness.report();
    if (!report.ready) response.status(503);
    return { status: report.ready ? 'ok' : 'unavailable', ...report.components };
  }

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP, whatever its dependencies say' })
  live() {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('asyncapi.json')
  @Public()
  @ApiOperation({ summary: 'AsyncAPI document of the Kafka topics (docs/kafka.md)' })
  asyncApi(): Record<string, unknown> {
    return asyncApiDocument(this.topics);
  }

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
