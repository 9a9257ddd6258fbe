/**
 * GET /health/live (the process answers: always 200), GET /health/ready (readiness: the event store, the Kafka
 * broker, and every projector and the order intake this process runs — 503 naming what is down, stopped,
 * restarting or lagging past READY_MAX_LAG), GET /health (the same as /health/ready) and GET /metrics (Prometheus text format; admin or metrics token
 * unless METRICS_PUBLIC=true).
 */
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { KAFKA_TOPICS } from '../composition/tokens';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, PublicWhen, Roles } from '@aftersales/access-control';
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

  @Get('health/ready')
  @Public()
  @ApiOperation({
    summary:
      'Readiness: 200 when the event store (and Kafka, when it is the transport) answers and every projector and the order intake of this process runs within READY_MAX_LAG; 503 naming what is not',
  })
  async ready(@Res({ passthrough: true }) response: Response) {
    const report = await this.readiness.report();
    if (!report.ready) response.status(503);
    const down = Object.entries(report.components).filter(([, c]) => c.status === 'down');
    return {
      status: report.ready ? 'ok' : 'unavailable',
      ...(down.length ? { notReady: down.map(([name, c]) => `${name}: ${String(c.error ?? 'down')}`) } : {}),
      ...report.components,
    };
  }

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Readiness, the same as GET /health/ready' })
  async health(@Res({ passthrough: true }) response: Response) {
    return this.ready(response);
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
  @Roles('admin', 'metrics')
  @PublicWhen('metrics') // METRICS_PUBLIC=true opens it to everyone
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics; needs an admin or metrics token unless METRICS_PUBLIC=true' })
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
