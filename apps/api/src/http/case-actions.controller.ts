/**
 * POST /cases/{id}/{action}: one route per action, registered from ACTION_ROUTES so each has its own body
 * schema (validated, documented in OpenAPI) and its own roles.
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res, applyDecorators } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '@aftersales/access-control';
import type { CaseCommandAnswer } from '@aftersales/case-application';
import { RunCaseActionCommand } from '@aftersales/case-application';
import type { CaseAction } from '@aftersales/case-domain';
import { Metrics } from '@aftersales/observability';
import type { ActionBody } from '../dto/action-bodies.dto';
import type { ActionRoute } from './action-routes';
import { ACTION_ROUTES, rolesFor } from './action-routes';
import { measuredCommand } from './command-metrics';
import { IDEMPOTENCY_KEY, IF_MATCH, callerContext, expectedRevisionOf } from './request-principal';

@ApiTags('case actions')
@ApiBearerAuth()
@Controller('cases')
export class CaseActionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly metrics: Metrics,
  ) {}

  async perform(action: CaseAction, caseId: string, body: ActionBody, request: Request, response: Response): Promise<CaseCommandAnswer> {
    const { expectedRevision, ...payload } = body;
    const command = new RunCaseActionCommand(caseId, action, payload as never, expectedRevisionOf(request, expectedRevision), callerContext(request));
    const answer = await measuredCommand(this.metrics, action, () => this.commands.execute<RunCaseActionCommand, CaseCommandAnswer>(command));
    response.setHeader('ETag', `"${answer.revision}"`);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer;
  }
}

function methodName(action: string): string {
  return action.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function registerActionRoute(route: ActionRoute): void {
  const prototype = CaseActionsController.prototype as unknown as Record<string, unknown>;
  const name = methodName(route.action);
  prototype[name] = function (this: CaseActionsController, id: string, body: ActionBody, request: Request, response: Response) {
    return this.perform(route.action, id, body, request, response);
  };
  Reflect.defineMetadata('design:paramtypes', [String, route.body, Object, Object], prototype, name);
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
  const roles = rolesFor(route.action);
  applyDecorators(
    Post(`:id/${route.action}`),
    HttpCode(200),
    Roles(...roles),
    ApiOperation({ summary: route.summary, description: `Roles: ${roles.join(', ')}.` }),
    ApiBody({ type: route.body }),
    ApiHeader({ name: 'If-Match', required: false, description: 'Expected revision, e.g. "3"', schema: { type: 'string', pattern: IF_MATCH.source } }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key answer what the first attempt did', schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } }),
    ApiResponse({ status: 200, description: 'caseId, status, revision, allowed actions' }),
    ApiResponse({ status: 400, description: 'Invalid body; every bad field is named' }),
    ApiResponse({ status: 404, description: 'Unknown case' }),
    ApiResponse({ status: 409, description: 'Stale revision, or not allowed in the current state (allowed actions listed)' }),
    ApiResponse({ status: 422, description: 'A business rule refused it (the rule is named)' }),
  )(prototype, name, descriptor);
  Param('id')(prototype, name, 0);
  Body()(prototype, name, 1);
  Req()(prototype, name, 2);
  Res({ passthrough: true })(prototype, name, 3);
  Object.defineProperty(prototype, name, descriptor);
}

ACTION_ROUTES.forEach(registerActionRoute);
