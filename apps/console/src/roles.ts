/**
 * Which pages a role may read, after the API's own rules (SPEC section 7, the controllers' @Roles): a page is
 * shown only when every call it needs is allowed. Early warnings are shown only when the API answers them.
 */
export type Role = 'service' | 'agent' | 'analyst' | 'auditor' | 'admin' | 'metrics';
export type PageId = 'overview' | 'escalation' | 'earlyWarning' | 'timeline' | 'compliance' | 'projections' | 'whatIf';

export const PAGE_ORDER: readonly PageId[] = ['overview', 'escalation', 'earlyWarning', 'timeline', 'compliance', 'projections', 'whatIf'];

const READERS: Record<PageId, readonly Role[]> = {
  overview: ['analyst', 'agent'], // escalation (analyst, agent); satisfaction and loyalty impact (analyst)
  escalation: ['analyst', 'agent'],
  earlyWarning: ['analyst', 'agent'],
  timeline: ['analyst', 'auditor'], // GET /cases/{id}/events
  compliance: ['auditor'],
  projections: ['admin'],
  whatIf: ['analyst', 'admin'],
};

export const mayRead = (role: Role, page: PageId): boolean => READERS[page].includes(role);

/** Parts of a page that need more than the page does. */
export const may = {
  readSatisfactionAndLoyalty: (role: Role) => role === 'analyst',
  verifyChain: (role: Role) => role === 'auditor',
};
