/**
 * Idempotency fingerprints: how "same Idempotency-Key, same request" is checked without storing anything derived
 * from personal data in clear. The stored fingerprint is the vault's HMAC-SHA256 (server secret) over the
 * canonical request with the contact details left out; a retried opening's contact is compared with the sealed
 * one in the stream instead (after an erasure it can no longer be compared and is taken as the same).
 * Fingerprints written by earlier releases (unkeyed SHA-256 of the whole request) are still honoured.
 */
import type { OpenCasePayload } from '@aftersales/case-domain';
import type { StoredEvent } from '@aftersales/event-store';
import { canonicalHash, canonicalJson } from '@aftersales/event-store';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { FINGERPRINT_PREFIX, isSealed } from '@aftersales/personal-data';

export class RequestFingerprint {
  constructor(
    /** What is written into the events' metadata (`requestHash`). */
    readonly value: string,
    /** The earlier releases' unkeyed hash, computed only when a stored one has that form; never stored. */
    private readonly legacy: () => string,
  ) {}

  matches(stored: string | undefined): boolean {
    if (stored === undefined) return false;
    return stored.startsWith(FINGERPRINT_PREFIX) ? stored === this.value : stored === this.legacy();
  }
}

export function openCaseFingerprint(vault: PersonalDataVault, payload: OpenCasePayload): RequestFingerprint {
  const { contact: _personal, ...rest } = payload;
  return new RequestFingerprint(vault.fingerprint({ action: 'open', payload: rest }), () => canonicalHash({ action: 'open', payload }));
}

export function actionFingerprint(vault: PersonalDataVault, action: string, payload: unknown, expectedRevision: number | undefined): RequestFingerprint {
  const request = { action, payload, expectedRevision };
  return new RequestFingerprint(vault.fingerprint(request), () => canonicalHash(request));
}

/** Whether a retried opening names the contact details the case was opened with (true once they were erased). */
export async function sameContact(vault: PersonalDataVault, history: StoredEvent[], contact: OpenCasePayload['contact']): Promise<boolean> {
  const opened = history.find((e) => e.type === 'CaseOpened');
  const stored = (opened?.data as { contact?: unknown } | undefined)?.contact;
  if (stored === undefined || stored === null) return contact === undefined;
  const earlier = isSealed(stored) ? await vault.open(stored) : stored;
  if (earlier === undefined) return true;
  return contact !== undefined && canonicalJson(earlier) === canonicalJson(contact);
}
