/**
 * An event a reducer cannot fold (missing or malformed data). Only these are dead-lettered; any other failure
 * (the database went away, a timeout) is left to propagate so the projector retries the batch later instead of
 * dead-lettering good events.
 */
export class PoisonEventError extends Error {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(reason);
  }
}
