import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { allRoutes } from '@agora/proto';
import type { Response } from 'express';
import { ApiError } from '../http/api-error.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.builder.js';

const swaggerDir = join(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
  '..',
);
/** The few files the docs page needs from swagger-ui-dist (served from our origin: no CDN). */
const assets = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
]);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Agora API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;
// A file, not an inline script, so the CSP can stay `script-src 'self'`.
const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, withCredentials: true });\n`;

/** The generated OpenAPI document and the Swagger UI that renders it. */
@Controller()
export class DocsController {
  private readonly doc: OpenApiDocument = buildOpenApi(allRoutes);

  @Get('/api/openapi.json')
  openapi(): OpenApiDocument {
    return this.doc;
  }

  @Get('/api/docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    return page;
  }

  @Get('/api/docs/init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return init;
  }

  @Get('/api/docs/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!assets.has(file)) throw new ApiError('NOT_FOUND', `no docs asset ${file}`);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(swaggerDir, file));
  }
}
