/**
 * GET /console: the analysts' and auditors' web console (apps/console), served from the folder the build writes
 * (dist/console). The page and its assets need no token; every data call it makes does. A Content-Security-Policy
 * allows nothing but this origin: no inline script or style, no other host.
 */
import { Controller, Get, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Public } from '@aftersales/access-control';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET = /^[A-Za-z0-9][A-Za-z0-9_-]*\.(js|css|svg|woff2)$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

/** The repository (or image) root: the nearest folder above this file with a package.json; the build writes dist/console there. */
function consoleFolder(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

@ApiTags('console')
@Controller('console')
export class ConsoleController {
  private readonly folder = consoleFolder();

  @Get()
  @Public()
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The web console for analysts and auditors (sign in with a bearer token; data by role)' })
  @ApiResponse({ status: 200, description: 'The console page (HTML)', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 503, description: 'The console was not built (npm run build)' })
  async page(@Res() response: Response): Promise<void> {
    await this.send(response, 'index.html');
  }

  @Get(':file')
  @Public()
  @ApiExcludeEndpoint()
  async asset(@Param('file') file: string, @Res() response: Response): Promise<void> {
    if (!ASSET.test(file)) throw new NotFoundException({ code: 'NOT_FOUND', message: `the console has no file '${file}'` });
    await this.send(response, file);
  }

  private async send(response: Response, file: string): Promise<void> {
    if (!existsSync(join(this.folder, 'index.html'))) {
      throw new ServiceUnavailableException({ code: 'CONSOLE_NOT_BUILT', message: 'the console is not built: run `npm run build`' });
    }
    let content: Buffer;
    try {
      content = await readFile(join(this.folder, file));
    } catch {
      throw new NotFoundException({ code: 'NOT_FOUND', message: `the console has no file '${file}'` });
    }
    response.setHeader('Content-Security-Policy', CONSOLE_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-cache');
    response.type(TYPES[file.slice(file.lastIndexOf('.') + 1)]).send(content);
  }
}
