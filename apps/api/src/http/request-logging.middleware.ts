/**
 * Gives every request a correlation id (the caller's X-Correlation-Id or a new one), echoes it back, runs the
 * request inside that context, and logs one JSON line and the HTTP metrics when the response is finished.
 */
import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger, Metrics } from '@aftersales/observability';
import { CORRELATION_HEADER, correlationIdFrom, runWithContext } from '@aftersales/observability';

export function requestLogging(logger: JsonLogger, metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    const started = process.hrtime.bigint();
    response.setHeader('X-Correlation-Id', correlationId);
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route?.path as string | undefined) ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      metrics.httpDuration.observe({ method: request.method, route }, seconds);
      runWithContext({ correlationId }, () =>
        logger.event(response.statusCode >= 500 ? 'error' : 'info', 'http request', {
          method: request.method,
          path: request.originalUrl.split('?')[0],
          status: response.statusCode,
          durationMs: Math.round(seconds * 10_000) / 10,
        }),
      );
    });
    runWithContext({ correlationId }, next);
  };
}
