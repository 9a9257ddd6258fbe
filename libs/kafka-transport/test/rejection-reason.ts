/** Test helper: the dead-letter reason a decoding refuses a record with, or 'accepted'. */
import type { DeadLetterReason } from '@aftersales/read-models';
import { RecordRejectedError } from '@aftersales/read-models';

export function reasonOf(decode: () => unknown): DeadLetterReason | 'accepted' {
  try {
    decode();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof RecordRejectedError)) throw error;
    return error.reason;
  }
}
