/** Log lines: one JSON object each, filtered by level, with the request's correlation id and the span's trace ids. */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { JsonLogger, TRACER_NAME, runWithContext, startTracing } from '../src';
import type { Tracing } from '../src';

describe('JsonLogger', () => {
  const lines: string[] = [];
  const logged = () => lines.map((line) => JSON.parse(line));
  beforeEach(() => (lines.length = 0));

  it('writes one JSON object per line and leaves out what is below its level', () => {
    const logger = new JsonLogger('warn', (line) => lines.push(line));
    logger.event('info', 'not written');
    logger.warn('disk almost full', 'Storage');
    logger.error('failed', 'the stack', 'Relay');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(logged()).toEqual([
      { time: expect.any(String), level: 'warn', msg: 'disk almost full', context: 'Storage' },
      { time: expect.any(String), level: 'error', msg: 'failed', context: 'Relay', trace: 'the stack' },
    ]);
  });

  it('adds the correlation id of the request it runs in', () => {
    const logger = new JsonLogger('debug', (line) => lines.push(line));
    runWithContext({ correlationId: 'corr-42' }, () => logger.debug('inside'));
    logger.debug('outside');
    expect(logged().map((l) => [l.msg, l.correlationId])).toEqual([
      ['inside', 'corr-42'],
      ['outside', undefined],
    ]);
  });

  describe('with a tracing SDK', () => {
    let tracing: Tracing | undefined;
    beforeAll(() => {
      tracing = startTracing({ serviceName: 'test', env: {}, exporter: new InMemorySpanExporter() });
    });
    afterAll(async () => tracing?.shutdown());

    it('adds trace_id and span_id of the active span, and nothing outside a span', () => {
      const logger = new JsonLogger('info', (line) => lines.push(line));
      trace.getTracer(TRACER_NAME).startActiveSpan('work', (span) => {
        logger.event('info', 'in a span');
        span.end();
        const { traceId, spanId } = span.spanContext();
        expect(logged()[0]).toMatchObject({ trace_id: traceId, span_id: spanId });
      });
      logger.event('info', 'after');
      expect(logged()[1]).not.toHaveProperty('trace_id');
    });
  });
});
