/** One row per action of spec section 7: the body it takes, who may send it, what it does. */
import type { Type } from '@nestjs/common';
import type { CaseAction } from '@aftersales/case-domain';
import { CUSTOMER_ACTIONS } from '@aftersales/case-domain';
import type { Role } from '@aftersales/runtime-config';
import {
  ActionBody,
  AssignBody,
  AuthorizeReturnBody,
  CloseBody,
  EscalateBody,
  GrantCompensationBody,
  IssueRefundBody,
  MessageBody,
  NoteBody,
  ProposeResolutionBody,
  ReasonBody,
  RejectBody,
  ResolveBody,
  ReturnReceivedBody,
  SatisfactionBody,
  ShipmentBody,
} from '../dto/action-bodies.dto';

export interface ActionRoute {
  action: CaseAction;
  body: Type<ActionBody>;
  summary: string;
}

export const ACTION_ROUTES: ActionRoute[] = [
  { action: 'acknowledge', body: NoteBody, summary: 'Acknowledge an open case (counts as the first response)' },
  { action: 'assign', body: AssignBody, summary: 'Assign to an agent and team; takes an acknowledged case into IN_PROGRESS' },
  { action: 'reply', body: MessageBody, summary: 'Agent reply to the customer' },
  { action: 'request-info', body: MessageBody, summary: 'Ask the customer for information; AWAITING_CUSTOMER pauses the SLA clock' },
  { action: 'customer-message', body: MessageBody, summary: "The customer's message (resumes the clock when awaited)" },
  { action: 'escalate', body: EscalateBody, summary: 'Escalate to L1, L2 or L3' },
  { action: 'propose-resolution', body: ProposeResolutionBody, summary: 'Propose a resolution to the customer' },
  { action: 'accept-resolution', body: NoteBody, summary: "The customer's acceptance of the proposed resolution" },
  { action: 'reject-resolution', body: NoteBody, summary: "The customer's rejection of the proposed resolution" },
  { action: 'authorize-return', body: AuthorizeReturnBody, summary: 'Authorise a return (RMA number generated when absent)' },
  { action: 'return-shipped', body: ShipmentBody, summary: 'The customer shipped the return' },
  { action: 'return-received', body: ReturnReceivedBody, summary: 'The return arrived and was inspected' },
  { action: 'issue-refund', body: IssueRefundBody, summary: 'Issue (part of) an accepted refund; never more than the items are worth' },
  { action: 'ship-replacement', body: ShipmentBody, summary: 'Ship the accepted replacement' },
  { action: 'complete-repair', body: NoteBody, summary: 'Complete the accepted repair' },
  { action: 'grant-compensation', body: GrantCompensationBody, summary: 'Grant loyalty points and/or a coupon' },
  { action: 'resolve', body: ResolveBody, summary: 'Resolve once the accepted resolution is carried out' },
  { action: 'reject', body: RejectBody, summary: 'Reject the case with a reason code' },
  { action: 'reopen', body: ReasonBody, summary: 'Reopen a resolved or rejected case' },
  { action: 'record-satisfaction', body: SatisfactionBody, summary: "Record the customer's CSAT (and NPS) once resolved" },
  { action: 'close', body: CloseBody, summary: 'Close a resolved or rejected case' },
  { action: 'withdraw', body: ReasonBody, summary: 'The customer withdraws the case' },
];

/** Agents may send every action; services only the customer's own (spec section 7). */
export function rolesFor(action: CaseAction): Role[] {
  return CUSTOMER_ACTIONS.includes(action) ? ['agent', 'service'] : ['agent'];
}
