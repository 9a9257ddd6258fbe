/**
 * How request bodies are read: JSON only (RFC 8259, UTF-8), nothing else is parsed. A body of another media
 * type is a 415 before it is read; one nested deeper than MAX_JSON_DEPTH is a 400 before it is parsed; one over
 * its route's size limit is a 413. Every refusal goes through the error filter, so it has the usual error body.
 *
 * Size limits: 100 kB for every route but POST /order-events, which takes batches of up to 1,000 order facts.
 * A realistic fact with three items is about 420 bytes of JSON, so 1,000 of them are about 420 kB; the limit of
 * 2 MB leaves room for longer ids and notes (docs/http-api.md, checked by apps/api/test/order-events.http.spec.ts).
 */
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '@aftersales/input-validation';

export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;
export const ORDER_EVENTS_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Routes whose bodies may be larger than the default limit. */
export const BODY_LIMITS: ReadonlyArray<{ path: string; bytes: number }> = [{ path: '/order-events', bytes: ORDER_EVENTS_BODY_LIMIT_BYTES }];

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Whether the request carries a body at all (RFC 9112: a Transfer-Encoding, or a Content-Length above 0). */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJsonType(type: string): boolean {
  const media = type.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(media);
}

/** 415 for a request that carries a body which is not JSON in UTF-8 (form-encoded, text/plain, multipart, ...). */
export function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request)) return next();
  const type = request.headers['content-type'];
  if (!type || !isJsonType(type)) {
    return next(
      new UnsupportedMediaTypeException({
        message: `the body must be application/json, not ${type ? `'${type.split(';')[0]}'` : 'untyped'}`,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      }),
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new UnsupportedMediaTypeException({ message: `the body must be UTF-8 JSON, not charset '${charset}'`, code: 'UNSUPPORTED_MEDIA_TYPE' }));
  }
  next();
}

function refuseDeepJson(_request: Request, _response: Response, body: Buffer): void {
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new BadRequestException({
      message: `the body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
      code: 'BODY_TOO_DEEP',
      fields: [{ field: '(body)', problems: [`must not nest more than ${MAX_JSON_DEPTH} levels deep`] }],
    });
  }
}

function jsonParser(limit: number) {
  return json({ limit, strict: true, type: JSON_TYPES, verify: refuseDeepJson });
}

/** Installs the body parsers on the app (the app is created with Nest's own parsers off). */
export function useBodyParsers(app: INestApplication): void {
  app.use(requireJsonBodies);
  for (const { path, bytes } of BODY_LIMITS) app.use(path, jsonParser(bytes));
  app.use(jsonParser(DEFAULT_BODY_LIMIT_BYTES));
}
