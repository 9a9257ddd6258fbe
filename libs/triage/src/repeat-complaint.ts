/**
 * Repeat complaint: the same customer has opened an earlier case about the same order. The caller passes
 * the prior cases it knows; nothing is looked up here.
 */

export interface PriorCase {
  caseId: string;
  customerId: string;
  orderId: string;
  openedAt?: string;
}

export interface RepeatComplaint {
  repeat: boolean;
  /** Earlier cases of the same customer and order, oldest first when their opening times are known. */
  priorCaseIds: string[];
}

export function detectRepeatComplaint(
  current: { caseId?: string; customerId?: string; orderId?: string },
  priorCases: readonly PriorCase[] = [],
): RepeatComplaint {
  if (!current.customerId || !current.orderId) return { repeat: false, priorCaseIds: [] };
  const earlier = priorCases
    .filter((c) => c.caseId !== current.caseId && c.customerId === current.customerId && c.orderId === current.orderId)
    .sort((a, b) => (a.openedAt ?? '').localeCompare(b.openedAt ?? '') || a.caseId.localeCompare(b.caseId));
  const priorCaseIds = [...new Set(earlier.map((c) => c.caseId))];
  return { repeat: priorCaseIds.length > 0, priorCaseIds };
}
