import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document, built from the controllers' and DTOs' decorators. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Meshmon gateway')
    .setDescription(
      'Start and stop scheduling, nodes and pairs, intents, measurements now, results, coverage, outliers and events. Errors: { error: { status, code, message, problems? } }.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'the token in MESHMON_GATEWAY_TOKEN (or the file MESHMON_GATEWAY_TOKEN_FILE names)',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs and the document at /docs-json; the UI's assets come from node_modules. */
export function setUpDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
