/**
 * Crypto-shredding of personal data. Contact details in events are sealed with AES-256-GCM under a key of the
 * customer's; the keys live outside the event store (a `CustomerKeyStore`). Erasing a customer destroys their
 * keys: the events stay byte-for-byte as they were (the hash chain still verifies, every figure still counts),
 * but the sealed fields can no longer be read. The vault also keys request fingerprints with a server secret,
 * so nothing stored is an unkeyed hash of a request.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { canonicalJson } from '@aftersales/event-store';
import type { CustomerKeyStore } from './customer-key-store';
import { MIN_SECRET_BYTES } from './fingerprint-secret';

export interface SealedValue {
  sealed: 'AES-256-GCM';
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export const ERASED = '[erased]';

/** How stored fingerprints start, to tell them from the unkeyed SHA-256 hex of earlier releases. */
export const FINGERPRINT_PREFIX = 'hmac-sha256:';

export function isSealed(value: unknown): value is SealedValue {
  return !!value && typeof value === 'object' && (value as SealedValue).sealed === 'AES-256-GCM';
}

export interface ErasureAnswer {
  customerId: string;
  /** False for a customer the system never saw (no case was ever opened for them). */
  known: boolean;
  keysDestroyed: number;
  /** True when an earlier request had already erased everything there was. */
  alreadyErased: boolean;
  erasedAt?: string;
}

/** Most customers a vault remembers as registered (a forgotten one is only looked up again). */
export const REGISTERED_CUSTOMERS_REMEMBERED = 100_000;

export class PersonalDataVault {
  /**
   * Customers this vault registered or sealed for since it last erased them: registering them again needs no
   * look-up (a statement per opening on the SQL key store). A customer once known stays known, erased or not.
   */
  private readonly registered = new LRUCache<string, true>({ max: REGISTERED_CUSTOMERS_REMEMBERED });

  constructor(
    private readonly keys: CustomerKeyStore,
    private readonly fingerprintSecret: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (fingerprintSecret.length < MIN_SECRET_BYTES) throw new Error(`the fingerprint secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }

  get keyStoreKind(): CustomerKeyStore['kind'] {
    return this.keys.kind;
  }

  async init(): Promise<void> {
    await this.keys.init();
  }

  /**
   * Makes the customer known (erasure of someone never seen answers 404), with a key ready for their data. Once per
   * customer and vault until this vault erases them: keys themselves are never cached (seal and open ask the key
   * store each time), so an erasure by another process sharing the key table still holds at once.
   */
  async register(customerId: string): Promise<void> {
    if (this.registered.has(customerId)) return;
    await this.keys.keyFor(customerId);
    this.registered.set(customerId, true);
  }

  async seal(customerId: string, value: unknown): Promise<SealedValue> {
    const { keyId, key } = await this.keys.keyFor(customerId);
    this.registered.set(customerId, true);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { sealed: 'AES-256-GCM', keyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  /** The sealed value, or undefined when its key was erased. */
  async open(sealed: SealedValue): Promise<unknown> {
    const key = await this.keys.key(sealed.keyId);
    if (!key) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(sealed.keyId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
  }

  /** Destroys every key of the customer. */
  async erase(customerId: string): Promise<ErasureAnswer> {
    this.registered.delete(customerId);
    const outcome = await this.keys.erase(customerId, this.now().toISOString()).finally(() => this.registered.delete(customerId));
    return {
      customerId,
      known: outcome.known,
      keysDestroyed: outcome.keysDestroyed,
      alreadyErased: outcome.known && outcome.keysDestroyed === 0,
      ...(outcome.erasedAt ? { erasedAt: outcome.erasedAt } : {}),
    };
  }

  /**
   * A keyed fingerprint (HMAC-SHA256 under the server secret) of a request, field order ignored. Callers leave
   * the personal data out of what they pass: a fingerprint outlives an erasure.
   */
  fingerprint(request: unknown): string {
    return FINGERPRINT_PREFIX + createHmac('sha256', this.fingerprintSecret).update(canonicalJson(request)).digest('hex');
  }

  async close(): Promise<void> {
    await this.keys.close();
  }
}
