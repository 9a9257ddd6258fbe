/**
 * `@CaseActionRoute(action)`: everything the HTTP layer declares for one row of ACTION_ROUTES — the path, the
 * status, the roles, the body class (validated by the pipe and documented) and the OpenAPI text — taken from
 * the row, so the controller's handler only says which action it runs. The decorator may only sit on the
 * handler named after the action (`request-info` → `requestInfo`) and typed for that action's body.
 */
import { Body, HttpCode, Param, Post, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '@aftersales/access-control';
import type { CaseCommandAnswer } from '@aftersales/case-application';
import type { CaseAction } from '@aftersales/case-domain';
import type { BodyOf, HandlerName } from './action-routes';
import { ACTION_ROUTES, rolesFor } from './action-routes';
import { IDEMPOTENCY_KEY, IF_MATCH } from './request-principal';

/** What the handler of `action` is called with: the case id, the validated body, the request and the response. */
export type ActionArgs<A extends CaseAction> = [caseId: string, body: BodyOf<A>, request: Request, response: Response];
export type ActionHandler<A extends CaseAction> = (...args: ActionArgs<A>) => Promise<CaseCommandAnswer>;

/** One handler per action: a controller implementing this lacks none and has none for an unknown action. */
export type CaseActionHandlers = { [A in CaseAction as HandlerName<A>]: ActionHandler<A> };

export function CaseActionRoute<A extends CaseAction>(action: A) {
  return (target: object, name: HandlerName<A>, descriptor: TypedPropertyDescriptor<ActionHandler<A>>): void => {
    const route = ACTION_ROUTES[action];
    const roles = rolesFor(action);
    // The pipe validates the body against the row's class: it is the handler's declared body type.
    Reflect.defineMetadata('design:paramtypes', [String, route.body, Object, Object], target, name);
    applyDecorators(
      Post(`:id/${action}`),
      HttpCode(200),
      Roles(...roles),
      ApiOperation({ summary: route.summary, description: `Roles: ${roles.join(', ')}.` }),
      ApiBody({ type: route.body }),
      ApiHeader({ name: 'If-Match', required: false, description: 'Expected revision, e.g. "3"', schema: { type: 'string', pattern: IF_MATCH.source } }),
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'Retries with the same key answer what the first attempt did',
        schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
      }),
      ApiResponse({ status: 200, description: 'caseId, status, revision, allowed actions' }),
      ApiResponse({ status: 400, description: 'Invalid body; every bad field is named' }),
      ApiResponse({ status: 404, description: 'Unknown case' }),
      ApiResponse({ status: 409, description: 'Stale revision, or not allowed in the current state (allowed actions listed)' }),
      ApiResponse({ status: 422, description: 'A business rule refused it (the rule is named)' }),
    )(target, name, descriptor);
    Param('id')(target, name, 0);
    Body()(target, name, 1);
    Req()(target, name, 2);
    Res({ passthrough: true })(target, name, 3);
  };
}
