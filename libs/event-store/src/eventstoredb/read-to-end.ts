/**
 * Consuming a streaming read of @eventstore/db-client. Its reads are Node Readables over a gRPC call; leaving a
 * `for await` early destroys the Readable but not the gRPC call under it, which then keeps `client.dispose()`
 * waiting for ever. So every read here either runs to its end or is cancelled (`StreamingRead.cancel()`).
 */

/** The part of the client's `StreamingRead` this needs. */
export interface CancellableRead<E> extends AsyncIterable<E> {
  cancel(): Promise<void>;
}

/**
 * Hands each item to `visit` until it answers false or the read ends. A read that did not end by itself (stopped
 * early, or failed) is cancelled before this returns or throws.
 */
export async function readToEnd<E>(read: CancellableRead<E>, visit: (item: E) => boolean): Promise<void> {
  let ended = false;
  try {
    for await (const item of read) {
      if (!visit(item)) return;
    }
    ended = true;
  } finally {
    if (!ended) {
      try {
        await read.cancel();
      } catch {
        // The call is already gone: there is nothing left to cancel.
      }
    }
  }
}
