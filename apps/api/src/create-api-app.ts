/**
 * Builds the HTTP application on given dependencies; used by `main.ts` and by the HTTP test suites, so the
 * tests exercise the real app.
 */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiDependencies } from './app.module';
import { AppModule } from './app.module';
import { createValidationPipe } from '@aftersales/input-validation';
import { requestLogging } from './http/request-logging.middleware';
import { rateLimiting } from './http/rate-limit.middleware';
import { mountOpenApi } from './openapi';

export async function createApiApp(deps: ApiDependencies): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    logger: deps.logger,
    bodyParser: true,
  });
  app.disable('x-powered-by');
  app.use(requestLogging(deps.logger, deps.metrics));
  app.use(rateLimiting(deps.rateLimit ?? { perSecond: 0, burst: 0 }));
  app.useGlobalPipes(createValidationPipe());
  mountOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
