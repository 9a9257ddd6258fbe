/** Refusals the domain can give. The HTTP edge maps them to 409 and 422. */
import type { CaseAction, CaseStatus } from './case-vocabulary';

export abstract class CaseDomainError extends Error {
  abstract readonly code: string;
}

/** The action is not possible in the case's current state; says which actions are. */
export class IllegalTransitionError extends CaseDomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(
    readonly status: CaseStatus,
    readonly action: CaseAction | 'open',
    readonly allowedActions: CaseAction[],
    detail?: string,
  ) {
    super(
      `'${action}' is not allowed while the case is ${status}${detail ? ` (${detail})` : ''}; allowed: ${
        allowedActions.length ? allowedActions.join(', ') : 'none'
      }`,
    );
  }
}

/** The action is allowed in this state but breaks a business rule; `rule` names it. */
export class BusinessRuleError extends CaseDomainError {
  readonly code = 'BUSINESS_RULE_VIOLATED';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export class CaseAlreadyExistsError extends CaseDomainError {
  readonly code = 'CASE_ALREADY_EXISTS';
  constructor(readonly caseId: string) {
    super(`case ${caseId} already exists`);
  }
}

export class CaseNotFoundError extends CaseDomainError {
  readonly code = 'CASE_NOT_FOUND';
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
  }
}
