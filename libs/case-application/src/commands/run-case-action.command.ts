import type { CaseActionCommand } from '@aftersales/case-domain';
import type { CallerContext } from './open-case.command';

export class RunCaseActionCommand<A extends CaseActionCommand['type'] = CaseActionCommand['type']> {
  constructor(
    readonly caseId: string,
    readonly action: A,
    readonly payload: Extract<CaseActionCommand, { type: A }>['payload'],
    /** When given, the command is refused unless the case is at exactly this revision. */
    readonly expectedRevision: number | undefined,
    readonly context: CallerContext,
  ) {}
}
