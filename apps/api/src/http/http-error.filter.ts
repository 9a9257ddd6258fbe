/**
 * One error shape for every failure: { statusCode, error, code, message, ...details, correlationId }.
 * Domain refusals become 409/422, unknown cases 404; anything unexpected is a logged 500 that says nothing
 * of the internals.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { BusinessRuleError, CaseAlreadyExistsError, CaseNotFoundError, IllegalTransitionError } from '@aftersales/case-domain';
import { CaseDidNotExistYetError, ConcurrencyExhaustedError, IdempotencyKeyReusedError, StaleRevisionError } from '@aftersales/case-application';
import { JsonLogger, currentContext } from '@aftersales/observability';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  [detail: string]: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function body(statusCode: number, code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', code, message, ...details };
}

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const codes: Record<number, string> = { 400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };
  const code = codes[status] ?? (REASONS[status] ?? 'ERROR').toUpperCase().replace(/ /g, '_');
  if (typeof response === 'string') return body(status, code, response);
  const { message, statusCode: _s, error: _e, ...details } = response as Record<string, unknown>;
  const text = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
  // Nest turns body-parser's SyntaxError into a bare BadRequestException; our own 400s always name fields.
  if (status === 400 && !('fields' in details) && /JSON/.test(text)) return body(400, 'MALFORMED_JSON', `the body is not valid JSON: ${text}`);
  return body(status, code, text, details);
}

/** Failures of a server we depend on that a retry may get past: connection lost or refused, server shutting down. */
export function isTransientInfrastructureError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300'].includes(code) ||
    /Connection terminated|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

export function toErrorBody(exception: unknown): ErrorBody | undefined {
  if (isTransientInfrastructureError(exception)) {
    return body(
      503,
      'STORE_UNAVAILABLE',
      'a store this request needs did not answer; the request may or may not have been recorded: retry it with the same Idempotency-Key, which never applies twice',
      { retryable: true },
    );
  }
  if (exception instanceof IllegalTransitionError) {
    return body(409, exception.code, exception.message, {
      status: exception.status,
      action: exception.action,
      allowedActions: exception.allowedActions,
    });
  }
  if (exception instanceof StaleRevisionError) {
    return body(409, exception.code, exception.message, {
      expectedRevision: exception.expectedRevision,
      currentRevision: exception.currentRevision,
    });
  }
  if (exception instanceof ConcurrencyExhaustedError) return body(409, exception.code, exception.message, { retryable: true });
  if (exception instanceof CaseAlreadyExistsError) return body(409, exception.code, exception.message);
  if (exception instanceof CaseNotFoundError || exception instanceof CaseDidNotExistYetError) {
    return body(404, exception.code, exception.message);
  }
  if (exception instanceof BusinessRuleError) return body(422, exception.code, exception.message, { rule: exception.rule });
  if (exception instanceof IdempotencyKeyReusedError) return body(422, exception.code, exception.message, { rule: exception.code });
  if (exception instanceof HttpException) return fromHttpException(exception);
  const status = (exception as { status?: unknown; type?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser errors: malformed JSON, body too large, unsupported charset or encoding.
    const { type, limit } = exception as { type?: unknown; limit?: unknown };
    if (type === 'entity.parse.failed') return body(status, 'MALFORMED_JSON', 'the body is not valid JSON');
    if (type === 'entity.too.large')
      return body(413, 'PAYLOAD_TOO_LARGE', `the body is larger than this route accepts (${String(limit)} bytes); see docs/http-api.md`, { limitBytes: limit });
    if (status === 415) return body(415, 'UNSUPPORTED_MEDIA_TYPE', String((exception as Error).message));
    return body(status, 'BAD_REQUEST_BODY', String((exception as Error).message));
  }
  return undefined;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    // A body-parser error can surface outside the request's async context; the response header still has the id.
    const header = response.getHeader?.('X-Correlation-Id');
    const correlationId = currentContext()?.correlationId ?? (typeof header === 'string' ? header : undefined);
    let payload = toErrorBody(exception);
    if (!payload) {
      this.logger.event('error', 'unhandled error', {
        error: (exception as Error)?.message,
        stack: (exception as Error)?.stack,
      });
      payload = body(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'an unexpected error occurred; quote the correlation id when reporting it');
    }
    if (payload.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (payload.statusCode === 503) response.setHeader('Retry-After', '1');
    if (response.headersSent) return;
    response.status(payload.statusCode).json({ ...payload, ...(correlationId ? { correlationId } : {}) });
  }
}
