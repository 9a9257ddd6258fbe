/**
 * The tracing SDK of a process: a NodeTracerProvider (async-hooks context, W3C Trace Context propagation) so
 * spans get ids that log lines and Kafka headers carry. Spans leave the process only through an OTLP/HTTP
 * exporter, which is on only when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set;
 * OTEL_SDK_DISABLED=true registers nothing. Tests pass their own exporter (an InMemorySpanExporter).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME is set. */
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  /** Spans are handed to this exporter one by one as they end (tests). */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Where spans are exported (`OTLP <endpoint>`, `given exporter`), or `none`. */
  readonly exportsTo: string;
  /** Exports what is pending and unregisters the provider. */
  shutdown(): Promise<void>;
}

export function startTracing(options: TracingOptions): Tracing | undefined {
  const env = options.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const processors: SpanProcessor[] = [];
  const destinations: string[] = [];
  const url = otlpTracesUrl(env);
  if (url) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
    destinations.push(`OTLP ${url}`);
  }
  if (options.exporter) {
    processors.push(new SimpleSpanProcessor(options.exporter));
    destinations.push('given exporter');
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || options.serviceName }),
    spanProcessors: processors,
  });
  provider.register();
  return {
    exportsTo: destinations.join(', ') || 'none',
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}
