/** OpenAPI document, served at /docs (UI) and /docs-json. */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { completeOpenApiDocument } from './openapi-completion';

export function mountOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('After-sales case resolution API')
    .setDescription(
      'Event-sourced after-sales cases: returns, exchanges, refunds, repairs, warranty, technical support and complaints. ' +
        'Every endpoint but /health, /health/live and /asyncapi.json needs Authorization: Bearer <token> (/metrics: admin or metrics, unless METRICS_PUBLIC=true). Errors share one shape: ' +
        '{ statusCode, error, code, message, ... , correlationId }.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = completeOpenApiDocument(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
