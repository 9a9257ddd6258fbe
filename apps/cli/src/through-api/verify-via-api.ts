/**
 * `aftersales verify --case ID...` while the API owns the data directory: GET /audit/cases/{id}/verify for each
 * case, reported like the offline command (each broken link named, a summary line, exit 1 if any is broken).
 */
import type { OwnerApi } from './owner-api';

interface CaseVerification {
  streamId: string;
  events: number;
  valid: boolean;
  firstBrokenLink?: { revision: number; eventId: string; reason: string };
}

export async function verifyViaApi(api: OwnerApi, caseIds: string[], write: (line: string) => void): Promise<number> {
  let events = 0;
  let broken = 0;
  let missing = 0;
  for (const id of caseIds) {
    const { status, body } = await api.request<CaseVerification>('auditor', 'GET', `/audit/cases/${encodeURIComponent(id)}/verify`);
    if (status === 404) {
      write(`case-${id}: no such case`);
      missing += 1;
      continue;
    }
    events += body.events;
    if (!body.valid) {
      broken += 1;
      const link = body.firstBrokenLink;
      write(`${body.streamId} broken at revision ${link?.revision} (event ${link?.eventId || 'missing'}): ${link?.reason ?? 'chain does not hold'}`);
    }
  }
  const verdict = broken ? `${broken} broken` : 'every chain holds';
  write(`${caseIds.length - missing} streams, ${events} events checked by the API at ${api.url}: ${verdict}${missing ? `; ${missing} not found` : ''}`);
  return broken || missing ? 1 : 0;
}
