/** Reads who is calling and what concurrency and idempotency they asked for, from the request. */
import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@aftersales/case-domain';
import type { AuthenticatedRequest } from '@aftersales/access-control';
import type { CallerContext } from '@aftersales/case-application';
import { currentContext } from '@aftersales/observability';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
export const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;

export function callerOf(request: Request): Actor {
  const principal = (request as unknown as AuthenticatedRequest).principal!;
  return { type: principal.role === 'service' ? 'service' : 'agent', id: principal.actorId };
}

export function callerContext(request: Request): CallerContext {
  const key = request.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestException({
      message: 'Idempotency-Key must be 1-200 visible ASCII characters',
      fields: [{ field: 'Idempotency-Key', problems: ['must be 1-200 visible ASCII characters'] }],
    });
  }
  return { caller: callerOf(request), correlationId: currentContext()?.correlationId ?? 'none', idempotencyKey: key };
}

/** `expectedRevision` from the body or from If-Match (`"3"`, `3` or `W/"3"`); both must agree when both are given. */
export function expectedRevisionOf(request: Request, fromBody: number | undefined): number | undefined {
  const header = request.header('if-match');
  if (header === undefined) return fromBody;
  const match = IF_MATCH.exec(header.trim());
  if (!match) {
    throw new BadRequestException({
      message: 'If-Match must be a revision number such as "3"',
      fields: [{ field: 'If-Match', problems: ['must be a revision number such as "3"'] }],
    });
  }
  const fromHeader = Number(match[1]);
  if (fromBody !== undefined && fromBody !== fromHeader) {
    throw new BadRequestException({
      message: 'If-Match and expectedRevision disagree',
      fields: [{ field: 'expectedRevision', problems: [`is ${fromBody} but If-Match says ${fromHeader}`] }],
    });
  }
  return fromHeader;
}
