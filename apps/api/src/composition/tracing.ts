/**
 * Tracing of the API's own work: a server span per HTTP request (named by its route, continuing the caller's
 * `traceparent`), a span per command on the CommandBus, and the event store's spans (traceEventStore). Every
 * span carries the correlation id. Without a registered SDK (startTracing in main.ts) all of this is a no-op.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { traceEventStore } from '@aftersales/event-store';
import { CORRELATION_ATTRIBUTE, CORRELATION_HEADER, TRACER_NAME, correlationIdFrom, currentContext, inSpan } from '@aftersales/observability';
import type { Storage } from '@aftersales/storage';

export function withTracing(storage: Storage): Storage {
  return { ...storage, eventStore: traceEventStore(storage.eventStore) };
}

/** Express middleware: one SERVER span per request, renamed to `METHOD route` once the route is known. */
export function requestTracing() {
  return (request: Request, response: Response, next: NextFunction): void => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = trace.getTracer(TRACER_NAME).startSpan(
      `${request.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.originalUrl.split('?')[0],
          [CORRELATION_ATTRIBUTE]: correlationIdFrom(request.headers[CORRELATION_HEADER]),
        },
      },
      parent,
    );
    response.on('finish', () => {
      const route = request.route?.path as string | undefined;
      if (route) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      const echoed = response.getHeader('X-Correlation-Id');
      if (typeof echoed === 'string') span.setAttribute(CORRELATION_ATTRIBUTE, echoed);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

interface TracedCommand {
  action?: string;
  observation?: string;
  caseId?: string;
  correlationId?: string;
  context?: { correlationId?: string };
}

/** Every command executed on the app's CommandBus runs inside a span `command <action>`. */
export function traceCommands(app: INestApplication): void {
  const bus = app.get(CommandBus);
  const execute = bus.execute.bind(bus) as (command: object, ...rest: unknown[]) => Promise<unknown>;
  const traced = (command: object, ...rest: unknown[]) => {
    const c = command as TracedCommand;
    const name = c.action ?? c.observation ?? command.constructor.name.replace(/Command$/, '');
    const correlationId = c.context?.correlationId ?? c.correlationId ?? currentContext()?.correlationId;
    return inSpan(
      `command ${name}`,
      {
        attributes: {
          'aftersales.command': command.constructor.name,
          ...(c.caseId ? { 'aftersales.case_id': c.caseId } : {}),
          ...(correlationId ? { [CORRELATION_ATTRIBUTE]: correlationId } : {}),
        },
      },
      () => execute(command, ...rest),
    );
  };
  bus.execute = traced;
}
