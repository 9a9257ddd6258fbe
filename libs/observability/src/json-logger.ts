/**
 * Structured logs: one JSON object per line on stdout, with the correlation id of the current request and the
 * `trace_id`/`span_id` of the current span (tracing.ts).
 */
import type { LoggerService } from '@nestjs/common';
import { currentContext } from './request-context';
import { traceIds } from './tracing';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  event(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] < RANK[this.minimum]) return;
    const correlationId = currentContext()?.correlationId;
    this.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...(correlationId ? { correlationId } : {}), ...traceIds(), ...fields })}\n`);
  }

  log(message: unknown, context?: string): void {
    this.event('info', String(message), context ? { context } : {});
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.event('error', String(message), { ...(context ? { context } : {}), ...(trace ? { trace } : {}) });
  }

  warn(message: unknown, context?: string): void {
    this.event('warn', String(message), context ? { context } : {});
  }

  debug(message: unknown, context?: string): void {
    this.event('debug', String(message), context ? { context } : {});
  }

  verbose(message: unknown, context?: string): void {
    this.debug(message, context);
  }
}
