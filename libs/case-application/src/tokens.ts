/** Injection tokens for the ports the application layer depends on. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const SLA_POLICY = Symbol('SLA_POLICY');
export const FOLLOW_UP_POLICY = Symbol('FOLLOW_UP_POLICY');
export const PERSONAL_DATA = Symbol('PERSONAL_DATA');
export const CALENDAR_DIRECTORY = Symbol('CALENDAR_DIRECTORY');
/** Where the calendar API reports a stored calendar (a CalendarChanges), so a kept calendar is dropped. */
export const CALENDAR_CHANGES = Symbol('CALENDAR_CHANGES');
export const TRIAGE_ANALYSER = Symbol('TRIAGE_ANALYSER');
/** The customer's tier and earlier cases about the order, read when a case opens (a CustomerAtOpeningLookup). */
export const CUSTOMER_AT_OPENING = Symbol('CUSTOMER_AT_OPENING');
export const CASE_STATE_CACHE = Symbol('CASE_STATE_CACHE');
