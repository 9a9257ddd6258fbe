/**
 * Builds the HTTP application on given dependencies; used by `main.ts` and by the HTTP test suites, so the
 * tests exercise the real app.
 */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiDependencies } from './app.module';
import { AppModule } from './app.module';
import { DEFAULT_MAX_AMOUNT, createValidationPipe, setMaxAmount } from '@aftersales/input-validation';
import { requestLogging } from './http/request-logging.middleware';
import { useBodyParsers } from './http/body-parsing';
import { mountOpenApi } from './openapi';
import { requestTracing, traceCommands } from './composition/tracing';

export async function createApiApp(deps: ApiDependencies): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    logger: deps.logger,
    bodyParser: false,
  });
  app.disable('x-powered-by');
  setMaxAmount(deps.maxAmount ?? DEFAULT_MAX_AMOUNT);
  app.use(requestTracing()); // a span per request and per command (no-ops without a tracing SDK)
  traceCommands(app);
  app.use(requestLogging(deps.logger, deps.metrics));
  useBodyParsers(app); // JSON only, depth and size limited; the rate limit is a guard (AppModule)
  app.useGlobalPipes(createValidationPipe());
  mountOpenApi(app);
  // Signals are handled by main.ts alone (composition/process-shutdown.ts); tests close the app themselves.
  return app;
}
