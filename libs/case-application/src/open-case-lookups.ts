/**
 * Ports an opening looks things up through, so that the domain stays pure: the merchant's business-hours
 * calendar (its latest version), the customer's tier in the loyalty view and their earlier cases about the order.
 * Adapters: the SQL calendar store (`@aftersales/business-calendar`) and the loyalty view's queries
 * (`@aftersales/read-models`), which also answer tier and earlier cases in one statement (`CustomerAtOpeningLookup`).
 */
import type { BusinessCalendar } from '@aftersales/business-calendar';
import type { CustomerTier } from '@aftersales/case-domain';
import type { PriorCase } from '@aftersales/triage';

export interface CalendarDirectory {
  /** The calendar the merchant's new cases count in; undefined when none applies (24×7). */
  calendarFor(merchantId: string): Promise<BusinessCalendar | undefined>;
}

export interface CustomerTierLookup {
  /** The customer's tier in the loyalty view; undefined when the customer is not known there. */
  tierOf(customerId: string): Promise<CustomerTier | undefined>;
}

export const NO_CALENDARS: CalendarDirectory = { calendarFor: async () => undefined };
export const NO_LOYALTY_TIERS: CustomerTierLookup = { tierOf: async () => undefined };

/**
 * The customer's earlier cases about an order, for triage's repeat-complaint finding. Adapter: the loyalty
 * view's case table (`SqlPriorCaseLookup` in `@aftersales/read-models`), which trails the store by the
 * projection's lag.
 */
export interface PriorCaseLookup {
  casesOf(customerId: string, orderId: string): Promise<PriorCase[]>;
}

export const NO_PRIOR_CASES: PriorCaseLookup = { casesOf: async () => [] };

/** What an opening reads about its customer: the tier the loyalty view gives them, their earlier cases about the order. */
export interface CustomerAtOpening {
  tier: CustomerTier | undefined;
  priorCases: PriorCase[];
}

/** Tier and earlier cases together, so that an adapter can read both at once (one statement instead of two). */
export interface CustomerAtOpeningLookup {
  customerAtOpening(customerId: string, orderId: string): Promise<CustomerAtOpening>;
}

/** The two lookups asked side by side: for ports given separately (tests, or a tier source other than the view). */
export function customerAtOpeningOf(tiers: CustomerTierLookup, priorCases: PriorCaseLookup): CustomerAtOpeningLookup {
  return {
    customerAtOpening: async (customerId, orderId) => {
      const [tier, prior] = await Promise.all([tiers.tierOf(customerId), priorCases.casesOf(customerId, orderId)]);
      return { tier, priorCases: prior };
    },
  };
}
