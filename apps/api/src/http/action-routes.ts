/**
 * The route table of POST /cases/{id}/{action}: one row per action of spec section 7, keyed by the command it
 * sends, with the body class it takes and its OpenAPI summary. The path (`:id/<action>`) and the roles (agents
 * always, services for the customer's own actions) are derived from the key. The compiler holds the table to
 * the command union: a command without a row, a row without a command, or a body class whose fields are not
 * exactly the command's payload does not compile (and case-actions.controller.ts must have a handler per row).
 */
import type { Type } from '@nestjs/common';
import type { CaseActionPayloads } from '@aftersales/case-application';
import type { CaseAction } from '@aftersales/case-domain';
import { CUSTOMER_ACTIONS } from '@aftersales/case-domain';
import type { Role } from '@aftersales/runtime-config';
import {
  ActionBody,
  AssignBody,
  AuthorizeReturnBody,
  CloseBody,
  EscalateBody,
  FollowUpBody,
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

/** The payload the command of `action` carries. */
export type PayloadOf<A extends CaseAction> = CaseActionPayloads[A];

/** What a request body of `action` is: the command's payload plus the optional expected revision. */
export type BodyOf<A extends CaseAction> = PayloadOf<A> & ActionBody;

export interface ActionRoute<A extends CaseAction> {
  body: Type<BodyOf<A>>;
  summary: string;
}

export const ACTION_ROUTES = {
  acknowledge: { body: NoteBody, summary: 'Acknowledge an open case (counts as the first response)' },
  assign: { body: AssignBody, summary: 'Assign to an agent and team; takes an acknowledged case into IN_PROGRESS' },
  reply: { body: MessageBody, summary: 'Agent reply to the customer' },
  'request-info': { body: MessageBody, summary: 'Ask the customer for information; AWAITING_CUSTOMER pauses the SLA clock' },
  'customer-message': { body: MessageBody, summary: "The customer's message (resumes the clock when awaited)" },
  escalate: { body: EscalateBody, summary: 'Escalate to L1, L2 or L3' },
  'propose-resolution': { body: ProposeResolutionBody, summary: 'Propose a resolution to the customer' },
  'accept-resolution': { body: NoteBody, summary: "The customer's acceptance of the proposed resolution" },
  'reject-resolution': { body: NoteBody, summary: "The customer's rejection of the proposed resolution" },
  'authorize-return': { body: AuthorizeReturnBody, summary: 'Authorise a return (RMA number generated when absent)' },
  'return-shipped': { body: ShipmentBody, summary: 'The customer shipped the return' },
  'return-received': { body: ReturnReceivedBody, summary: 'The return arrived and was inspected' },
  'issue-refund': { body: IssueRefundBody, summary: 'Issue (part of) an accepted refund; never more than the items are worth' },
  'ship-replacement': { body: ShipmentBody, summary: 'Ship the accepted replacement' },
  'complete-repair': { body: NoteBody, summary: 'Complete the accepted repair' },
  'grant-compensation': { body: GrantCompensationBody, summary: 'Grant loyalty points and/or a coupon' },
  resolve: { body: ResolveBody, summary: 'Resolve once the accepted resolution is carried out' },
  reject: { body: RejectBody, summary: 'Reject the case with a reason code' },
  reopen: { body: ReasonBody, summary: 'Reopen a resolved or rejected case' },
  'record-satisfaction': { body: SatisfactionBody, summary: "Record the customer's CSAT (and NPS) once resolved" },
  close: { body: CloseBody, summary: 'Close a resolved or rejected case' },
  withdraw: { body: ReasonBody, summary: 'The customer withdraws the case' },
  'record-follow-up': { body: FollowUpBody, summary: 'Record what a follow-up visit after closure found' },
} as const satisfies { [A in CaseAction]: ActionRoute<A> };

/** Each body class has exactly the fields of its command's payload (besides expectedRevision), no more, no fewer. */
type SameShape<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
type BodyFields<A extends CaseAction> = Omit<InstanceType<(typeof ACTION_ROUTES)[A]['body']>, keyof ActionBody>;
type BodyMatches<A extends CaseAction> = SameShape<BodyFields<A>, PayloadOf<A>> extends true ? SameShape<keyof BodyFields<A>, keyof PayloadOf<A>> : false;
type AllTrue<T extends { [A in CaseAction]: true }> = T;
/** Does not compile when an action has no command or a command has no action (and so no row). */
export type ActionsMatchCommands = SameShape<CaseAction, keyof CaseActionPayloads> extends true ? true : never;
export const ACTIONS_MATCH_COMMANDS: ActionsMatchCommands = true;
/** Does not compile when a body class and its command's payload drift apart; the error names the action. */
export type BodiesMatchCommands = AllTrue<{ [A in CaseAction]: BodyMatches<A> }>;

/** `request-info` → `requestInfo`: the controller's handler of an action. */
export type HandlerName<A extends string> = A extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<HandlerName<Tail>>}` : A;

/** Agents may send every action; services only the customer's own (spec section 7). */
export function rolesFor(action: CaseAction): Role[] {
  return CUSTOMER_ACTIONS.includes(action) ? ['agent', 'service'] : ['agent'];
}
