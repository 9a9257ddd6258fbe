/**
 * The tracing functions with the SDK registered and an in-memory exporter: spans and their errors, the W3C trace
 * context written out and read back, and the switches of startTracing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { contextFrom, inSpan, insideSpan, otlpTracesUrl, startTracing, traceCarrier, traceIds } from '../src';
import type { Tracing } from '../src';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'test', env: {}, exporter });
  });
  afterAll(async () => tracing?.shutdown());
  beforeEach(() => exporter.reset());

  it('exports to nothing but the given exporter when no OTLP endpoint is set', () => {
    expect(tracing?.exportsTo).toBe('given exporter');
  });

  it('runs work in a child span of the active one and ends it', async () => {
    await inSpan('outer', {}, async () => {
      expect(insideSpan()).toBe(true);
      await inSpan('inner', { attributes: { a: 1 } }, async () => undefined);
    });
    expect(insideSpan()).toBe(false);
    const [inner, outer] = exporter.getFinishedSpans();
    expect([inner.name, outer.name]).toEqual(['inner', 'outer']);
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.attributes).toEqual({ a: 1 });
  });

  it('marks a span whose work throws as an error, records the exception and passes the error on', async () => {
    await expect(inSpan('failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('writes the active context as a traceparent and continues it from one', async () => {
    let written = {};
    let ids = {};
    await inSpan('producer', {}, async () => {
      written = traceCarrier();
      ids = traceIds();
    });
    const [producer] = exporter.getFinishedSpans();
    const { traceId, spanId } = producer.spanContext();
    expect(written).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    expect(ids).toEqual({ trace_id: traceId, span_id: spanId });
    await inSpan('consumer', {}, async () => undefined, contextFrom(written));
    const consumer = exporter.getFinishedSpans()[1];
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(spanId);
  });

  it('starts a new trace from a missing or malformed traceparent, and writes nothing outside a span', async () => {
    expect(traceCarrier(context.active())).toEqual({});
    for (const carrier of [{}, { traceparent: 'not-a-traceparent' }]) {
      await inSpan('fresh', {}, async () => undefined, contextFrom(carrier));
    }
    for (const span of exporter.getFinishedSpans()) expect(span.parentSpanContext).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('startTracing switches', () => {
  it('sends traces to the traces endpoint as given, or to /v1/traces under the base endpoint', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' })).toBe(
      'http://collector:4318/custom',
    );
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl({})).toBeUndefined();
  });

  it('registers nothing when OTEL_SDK_DISABLED is true', () => {
    expect(startTracing({ serviceName: 'test', env: { OTEL_SDK_DISABLED: 'TRUE' } })).toBeUndefined();
  });

  it('exports over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and to nowhere without it', async () => {
    const otlp = startTracing({ serviceName: 'test', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' } });
    expect(otlp?.exportsTo).toBe('OTLP http://127.0.0.1:4318/v1/traces');
    await otlp?.shutdown();
    const none = startTracing({ serviceName: 'test', env: {} });
    expect(none?.exportsTo).toBe('none');
    await none?.shutdown();
  });

  it('exports ended spans over OTLP/HTTP to the endpoint, flushed at shutdown', async () => {
    const received: Array<{ path?: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url, body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = collector.address() as AddressInfo;
      const otlp = startTracing({ serviceName: 'exported-service', env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } });
      await inSpan('exported-span', {}, async () => undefined);
      await otlp?.shutdown();
      expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(received[0].body).toContain('"exported-span"');
      expect(received[0].body).toContain('"exported-service"');
    } finally {
      collector.close();
    }
  });
});
