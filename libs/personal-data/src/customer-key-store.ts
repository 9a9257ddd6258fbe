/**
 * The port for customers' data keys: where they are kept decides whether erasure is final on disk. Two adapters:
 * a key file in DATA_DIR (the embedded default) and a table on PostgreSQL (with the documented maintenance).
 */

export interface CustomerKey {
  keyId: string;
  key: Buffer;
}

/** What erasing a customer found: `known` is false for a customer the store never saw. */
export interface ErasureOutcome {
  known: boolean;
  keysDestroyed: number;
  /** When the customer's keys were (first) destroyed; undefined when nothing was ever erased. */
  erasedAt?: string;
}

export interface CustomerKeyStore {
  readonly kind: 'file' | 'sql';
  init(): Promise<void>;
  /** The customer's newest live key, created (durably) when they have none. */
  keyFor(customerId: string): Promise<CustomerKey>;
  /** The key with this id, or undefined when it was erased or never existed. */
  key(keyId: string): Promise<Buffer | undefined>;
  /** Destroys every live key of the customer. */
  erase(customerId: string, erasedAt: string): Promise<ErasureOutcome>;
  close(): Promise<void>;
}
