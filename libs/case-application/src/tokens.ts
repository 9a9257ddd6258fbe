/** Injection tokens for the ports the application layer depends on. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const SLA_POLICY = Symbol('SLA_POLICY');
export const PERSONAL_DATA = Symbol('PERSONAL_DATA');
