/**
 * Canonical JSON and the hashes and name-based ids built on it. The encoding is RFC 8785 (JSON Canonicalization
 * Scheme) by its reference implementation, the `canonicalize` package: keys sorted by UTF-16 code unit at every
 * level, no whitespace, ECMAScript number forms, undefined members left out. The same value always encodes to
 * the same bytes, whatever order its fields were written in; every hash stored before the package was adopted
 * encodes identically (libs/event-store/test/canonical-json-equivalence.spec.ts, and the auditors' Python
 * verifier in canonical-json-python.spec.ts).
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { v5 as uuidV5 } from 'uuid';

/** The namespace of this system's name-based ids; changing it would change every idempotent opening's case id. */
const NAMESPACE = '3f1b6c2a-9d4e-4f0b-8a7c-5e6d1f2a3b4c';

/** Name-based UUIDs (RFC 4122 version 5): the same name always gives the same id. */
export function nameBasedUuid(name: string): string {
  return uuidV5(name, NAMESPACE);
}

/** A stable hash of a JSON value: keys sorted at every level, so field order never matters. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** RFC 8785 canonical JSON; `undefined` on its own encodes as `null`, as it always has here. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}
