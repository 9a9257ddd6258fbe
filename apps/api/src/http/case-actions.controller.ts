/**
 * POST /cases/{id}/{action}: one handler per row of ACTION_ROUTES (action-routes.ts), each a one-liner naming
 * its action; the route, body class, roles and OpenAPI text come from the row (case-action-route.decorator.ts).
 * `implements CaseActionHandlers` makes a missing handler a compile error.
 */
import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CaseCommandAnswer } from '@aftersales/case-application';
import { RunCaseActionCommand } from '@aftersales/case-application';
import type { CaseAction } from '@aftersales/case-domain';
import { Metrics } from '@aftersales/observability';
import type { ActionBody } from '../dto/action-bodies.dto';
import type { PayloadOf } from './action-routes';
import type { ActionArgs, CaseActionHandlers } from './case-action-route.decorator';
import { CaseActionRoute } from './case-action-route.decorator';
import { measuredCommand } from './command-metrics';
import { callerContext, expectedRevisionOf } from './request-principal';

/** The body without `expectedRevision`: what the command carries. */
function payloadOf<P extends object>(body: P & ActionBody): P {
  const payload: P & ActionBody = { ...body };
  delete payload.expectedRevision;
  return payload;
}

@ApiTags('case actions')
@ApiBearerAuth()
@Controller('cases')
export class CaseActionsController implements CaseActionHandlers {
  constructor(
    private readonly commands: CommandBus,
    private readonly metrics: Metrics,
  ) {}

  private async perform<A extends CaseAction>(action: A, ...[caseId, body, request, response]: ActionArgs<A>): Promise<CaseCommandAnswer> {
    const payload = payloadOf<PayloadOf<A>>(body);
    const command = new RunCaseActionCommand<A>(caseId, action, payload, expectedRevisionOf(request, body.expectedRevision), callerContext(request));
    const answer = await measuredCommand(this.metrics, action, () => this.commands.execute<RunCaseActionCommand<A>, CaseCommandAnswer>(command));
    response.setHeader('ETag', `"${answer.revision}"`);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer;
  }

  @CaseActionRoute('acknowledge') acknowledge(...args: ActionArgs<'acknowledge'>) {
    return this.perform('acknowledge', ...args);
  }
  @CaseActionRoute('assign') assign(...args: ActionArgs<'assign'>) {
    return this.perform('assign', ...args);
  }
  @CaseActionRoute('reply') reply(...args: ActionArgs<'reply'>) {
    return this.perform('reply', ...args);
  }
  @CaseActionRoute('request-info') requestInfo(...args: ActionArgs<'request-info'>) {
    return this.perform('request-info', ...args);
  }
  @CaseActionRoute('customer-message') customerMessage(...args: ActionArgs<'customer-message'>) {
    return this.perform('customer-message', ...args);
  }
  @CaseActionRoute('escalate') escalate(...args: ActionArgs<'escalate'>) {
    return this.perform('escalate', ...args);
  }
  @CaseActionRoute('propose-resolution') proposeResolution(...args: ActionArgs<'propose-resolution'>) {
    return this.perform('propose-resolution', ...args);
  }
  @CaseActionRoute('accept-resolution') acceptResolution(...args: ActionArgs<'accept-resolution'>) {
    return this.perform('accept-resolution', ...args);
  }
  @CaseActionRoute('reject-resolution') rejectResolution(...args: ActionArgs<'reject-resolution'>) {
    return this.perform('reject-resolution', ...args);
  }
  @CaseActionRoute('authorize-return') authorizeReturn(...args: ActionArgs<'authorize-return'>) {
    return this.perform('authorize-return', ...args);
  }
  @CaseActionRoute('return-shipped') returnShipped(...args: ActionArgs<'return-shipped'>) {
    return this.perform('return-shipped', ...args);
  }
  @CaseActionRoute('return-received') returnReceived(...args: ActionArgs<'return-received'>) {
    return this.perform('return-received', ...args);
  }
  @CaseActionRoute('issue-refund') issueRefund(...args: ActionArgs<'issue-refund'>) {
    return this.perform('issue-refund', ...args);
  }
  @CaseActionRoute('ship-replacement') shipReplacement(...args: ActionArgs<'ship-replacement'>) {
    return this.perform('ship-replacement', ...args);
  }
  @CaseActionRoute('complete-repair') completeRepair(...args: ActionArgs<'complete-repair'>) {
    return this.perform('complete-repair', ...args);
  }
  @CaseActionRoute('grant-compensation') grantCompensation(...args: ActionArgs<'grant-compensation'>) {
    return this.perform('grant-compensation', ...args);
  }
  @CaseActionRoute('resolve') resolve(...args: ActionArgs<'resolve'>) {
    return this.perform('resolve', ...args);
  }
  @CaseActionRoute('reject') reject(...args: ActionArgs<'reject'>) {
    return this.perform('reject', ...args);
  }
  @CaseActionRoute('reopen') reopen(...args: ActionArgs<'reopen'>) {
    return this.perform('reopen', ...args);
  }
  @CaseActionRoute('record-satisfaction') recordSatisfaction(...args: ActionArgs<'record-satisfaction'>) {
    return this.perform('record-satisfaction', ...args);
  }
  @CaseActionRoute('close') close(...args: ActionArgs<'close'>) {
    return this.perform('close', ...args);
  }
  @CaseActionRoute('withdraw') withdraw(...args: ActionArgs<'withdraw'>) {
    return this.perform('withdraw', ...args);
  }
  @CaseActionRoute('record-follow-up') recordFollowUp(...args: ActionArgs<'record-follow-up'>) {
    return this.perform('record-follow-up', ...args);
  }
}
