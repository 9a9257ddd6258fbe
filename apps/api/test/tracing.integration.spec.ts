/**
 * OpenTelemetry traces, read from an in-memory exporter: a request's spans (HTTP → command → append) form one
 * trace, the log lines of the request carry its trace id, and an event relayed through the real Kafka broker is
 * applied by a projector inside the same trace (publish and apply spans, linked by the `traceparent` header).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { CORRELATION_ATTRIBUTE, startTracing } from '@aftersales/observability';
import type { Tracing } from '@aftersales/observability';
import { topicsWithSuffix } from '@aftersales/kafka-transport';
import { createProjections } from '@aftersales/read-models';
import { kafkaBrokers } from '@aftersales/local-servers';
import { withTracing } from '../../../apps/api/src/composition/tracing';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { pgliteStorage, postgresStorage } from '../../../test/harness/store-matrix';
import { waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(120_000);

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
let api: ApiUnderTest | undefined;

beforeAll(() => {
  tracing = startTracing({ serviceName: 'aftersales-test', env: {}, exporter });
});
afterAll(async () => {
  await tracing?.shutdown();
});
beforeEach(() => exporter.reset());
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const named = (prefix: string) => exporter.getFinishedSpans().filter((s) => s.name.startsWith(prefix));

async function openTracedCase(correlationId: string): Promise<string> {
  const opened = await request(api!.http).post('/cases').set(bearer('service')).set('X-Correlation-Id', correlationId).send(openCaseBody()).expect(201);
  return opened.body.caseId;
}

describe('traces of a request', () => {
  it('one POST /cases gives an HTTP span, a command span under it and an append span under that, in one trace', async () => {
    api = await startApi(withTracing(await pgliteStorage()));
    const caseId = await openTracedCase('corr-trace-1');

    const [http] = named('POST /cases');
    expect(http).toBeDefined();
    const [command] = named('command ');
    const [append] = named('event-store append');
    expect(command.name).toBe('command OpenCase');
    expect(command.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(append.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    for (const span of [http, command, append]) expect(span.attributes[CORRELATION_ATTRIBUTE]).toBe('corr-trace-1');
    expect(http.attributes['http.route']).toBe('/cases');
    expect(append.attributes['aftersales.stream_id']).toBe(`case-${caseId}`);

    // The appended event keeps the append span's context, and the request's log line carries the trace id.
    const [stored] = await api.store.readStream(`case-${caseId}`);
    expect(stored.metadata.traceparent).toBe(`00-${append.spanContext().traceId}-${append.spanContext().spanId}-01`);
    const logged = api.logLines.map((line) => JSON.parse(line)).find((line) => line.msg === 'http request' && line.correlationId === 'corr-trace-1');
    expect(logged).toMatchObject({ trace_id: http.spanContext().traceId });
  });

  it("continues the caller's traceparent and marks a refused command's span as an error", async () => {
    api = await startApi(withTracing(await pgliteStorage()));
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(api.http)
      .post(`/cases/${randomUUID()}/acknowledge`)
      .set(bearer('agent'))
      .set('traceparent', `00-${callerTrace}-00f067aa0ba902b7-01`)
      .send({})
      .expect(404);
    const [http] = named('POST /cases/');
    const [command] = named('command acknowledge');
    const [read] = named('event-store read stream');
    expect(http.name).toMatch(/^POST \/cases\/:\w+\/acknowledge$/);
    expect(http.attributes['http.response.status_code']).toBe(404);
    expect(http.spanContext().traceId).toBe(callerTrace);
    expect(parentOf(http)).toBe('00f067aa0ba902b7');
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(parentOf(read)).toBe(command.spanContext().spanId);
    expect(command.status.code).toBe(SpanStatusCode.ERROR);
    expect(named('event-store append')).toEqual([]);
  });
});

const brokers = kafkaBrokers();

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'traces through Kafka',
  () => {
    it('an event relayed through the broker is applied by each projector inside the trace of the request that appended it', async () => {
      const suffix = `.t${randomUUID().slice(0, 8)}`;
      const storage = postgresUrl() ? await postgresStorage() : await pgliteStorage();
      api = await startApi(withTracing(storage), { kafka: { brokers: brokers!, topics: topicsWithSuffix(suffix), groupPrefix: `test${suffix}` } });
      await openTracedCase('corr-trace-kafka');
      const [http] = named('POST /cases');
      const traceId = http.spanContext().traceId;

      const projections = createProjections()
        .map((p) => p.name)
        .sort();
      const [append] = named('event-store append');
      const events = Number(append.attributes['aftersales.event_count']);
      const inTrace = () => named('projector ').filter((s) => s.spanContext().traceId === traceId);
      await waitFor(
        'every projector to apply every event of the case',
        async () => inTrace().length,
        (n) => n >= events * projections.length,
      );
      const publishes = named(`${topicsWithSuffix(suffix).caseEvents} publish`);
      expect(publishes).toHaveLength(events);
      for (const publish of publishes) {
        expect(publish.spanContext().traceId).toBe(traceId);
        expect(parentOf(publish)).toBe(append.spanContext().spanId);
        const applied = inTrace().filter((s) => parentOf(s) === publish.spanContext().spanId);
        expect(applied.map((s) => s.attributes['aftersales.projection']).sort()).toEqual(projections);
        for (const span of applied) expect(span.attributes[CORRELATION_ATTRIBUTE]).toBe('corr-trace-kafka');
      }
    });
  },
);
