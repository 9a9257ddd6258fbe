/**
 * Traces through the `@opentelemetry/api` facade: spans around a piece of work, the W3C trace context as a
 * `traceparent` string (kept in event metadata and Kafka headers so a trace continues across processes), and the
 * ids of the current span for log lines. Without a registered SDK (tracing-sdk.ts) every call here is a no-op.
 */
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Context, Span, SpanOptions } from '@opentelemetry/api';

export const TRACER_NAME = 'aftersales';
/** The span attribute naming the correlation id of the request, command or event the span works on. */
export const CORRELATION_ATTRIBUTE = 'aftersales.correlation_id';
/** The W3C Trace Context fields: the HTTP header names, the event metadata keys and the Kafka header names. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** Runs `work` inside a new span (a child of `parent`, else of the active span); a throw marks the span as an error. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>, parent: Context = context.active()): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The trace context of `ctx` (the active one by default) as W3C fields; empty when nothing is traced. */
export function traceCarrier(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return { ...(carrier[TRACEPARENT] ? { traceparent: carrier[TRACEPARENT] } : {}), ...(carrier[TRACESTATE] ? { tracestate: carrier[TRACESTATE] } : {}) };
}

/** The context a `traceparent` (and `tracestate`) continue; the root context when absent or malformed. */
export function contextFrom(carrier: TraceCarrier): Context {
  if (!carrier.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** `trace_id` and `span_id` of the active span, for a log line; empty outside a recorded span. */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/** True inside a span: reads of the store are traced only then, so polling loops do not start a trace each pass. */
export function insideSpan(): boolean {
  const span = trace.getActiveSpan()?.spanContext();
  return span !== undefined && trace.isSpanContextValid(span);
}
