/**
 * POST /views/what-if: breaches and escalations per team had another SLA policy applied, next to the real
 * figures (the domain's `whatIfReport`, the computation behind the CLI's `what-if`). GET /views/what-if/policy
 * answers the policy in force, the natural starting point for an edit. Both read every case from the store.
 */
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import { CLOCK, EVENT_STORE, SLA_POLICY, toDomainEvent } from '@aftersales/case-application';
import type { CaseState, Clock, SlaPolicy, WhatIfReport } from '@aftersales/case-domain';
import { evolve, initialCaseState, slaPolicyProblems, whatIfReport } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { walkWholeFeed } from '@aftersales/read-models';

const POLICY_FIELDS = ['id', 'version', 'targets', 'tierFactors', 'warningRatio'];
/** A year: longer targets are not a service level, and keep every due time a valid date. */
const MAX_TARGET_MINUTES = 365 * 24 * 60;

/** Every reason the body is not an SLA policy, by field (unknown fields included); empty when it is one. */
function policyProblems(body: unknown): Array<{ field: string; problems: string[] }> {
  const problems = slaPolicyProblems(body).map((problem) => ({ field: /^[A-Za-z]+/.exec(problem)?.[0] ?? '(body)', problems: [problem] }));
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of Object.keys(body)) if (!POLICY_FIELDS.includes(key)) problems.push({ field: key, problems: [`${key} is not a known field`] });
    const targets = (body as { targets?: Record<string, Record<string, unknown>> }).targets;
    for (const [priority, target] of Object.entries(targets && typeof targets === 'object' ? targets : {})) {
      for (const clock of ['firstResponseMinutes', 'resolutionMinutes']) {
        const minutes = target && typeof target === 'object' ? target[clock] : undefined;
        if (typeof minutes === 'number' && minutes > MAX_TARGET_MINUTES) {
          problems.push({ field: 'targets', problems: [`targets.${priority}.${clock} must be at most ${MAX_TARGET_MINUTES} (a year)`] });
        }
      }
    }
  } else if (Array.isArray(body)) {
    return [{ field: '(body)', problems: ['policy must be a JSON object'] }];
  }
  return problems;
}

async function allCaseStates(store: EventStore): Promise<CaseState[]> {
  const states = new Map<string, CaseState>();
  await walkWholeFeed(store, (page) => {
    for (const event of page) {
      if (event.streamId.startsWith('case-')) {
        const id = event.streamId.slice(5);
        states.set(id, evolve(states.get(id) ?? initialCaseState(id), toDomainEvent(event)));
      }
    }
  });
  return [...states.values()];
}

@ApiTags('views')
@ApiBearerAuth()
@Controller('views/what-if')
export class WhatIfController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_POLICY) private readonly slaPolicy: SlaPolicy,
  ) {}

  @Get('policy')
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'The SLA policy in force (targets per priority, tier factors, warning ratio)' })
  policy(): SlaPolicy {
    return this.slaPolicy;
  }

  @Post()
  @HttpCode(200)
  @Roles('analyst', 'admin')
  @ApiOperation({ summary: 'Breaches and escalations per team under the given SLA policy, next to the real ones' })
  @ApiBody({
    description: 'An SLA policy: { id, version, targets: { URGENT|HIGH|NORMAL|LOW: { firstResponseMinutes, resolutionMinutes } }, tierFactors, warningRatio }',
  })
  @ApiResponse({
    status: 200,
    description: 'Per team: breaches and escalations under the recorded terms (actual), under this policy (whatIf), and recorded escalations',
  })
  @ApiResponse({ status: 400, description: 'Not a valid SLA policy; every problem is listed' })
  async whatIf(@Body() body: unknown): Promise<WhatIfReport> {
    const fields = policyProblems(body);
    if (fields.length) {
      throw new BadRequestException({ message: `not a valid SLA policy: ${fields.flatMap((f) => f.problems).join('; ')}`, fields });
    }
    return whatIfReport(await allCaseStates(this.store), body as SlaPolicy, this.clock.now());
  }
}
