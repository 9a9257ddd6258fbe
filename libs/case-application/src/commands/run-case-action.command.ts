import type { CaseAction, CaseActionCommand } from '@aftersales/case-domain';
import type { CallerContext } from './open-case.command';

/** The payload each action's command carries, by action: `CaseActionPayloads['assign']` is `{ agentId; team? }`. */
export type CaseActionPayloads = { [C in CaseActionCommand as C['type']]: C['payload'] };

export class RunCaseActionCommand<A extends CaseAction = CaseAction> {
  constructor(
    readonly caseId: string,
    readonly action: A,
    readonly payload: CaseActionPayloads[A],
    /** When given, the command is refused unless the case is at exactly this revision. */
    readonly expectedRevision: number | undefined,
    readonly context: CallerContext,
  ) {}
}
