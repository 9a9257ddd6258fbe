import type { Actor, OpenCasePayload } from '@aftersales/case-domain';

export interface CallerContext {
  /** The authenticated caller: a service or an agent. */
  caller: Actor;
  correlationId: string;
  idempotencyKey?: string;
}

export class OpenCaseCommand {
  constructor(
    readonly payload: OpenCasePayload,
    readonly context: CallerContext,
  ) {}
}
