/** The case's command and query side as a Nest module; the composition root provides the ports. */
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { CaseRepository } from './case-repository';
import { OpenCaseHandler } from './commands/open-case.handler';
import { RunCaseActionHandler } from './commands/run-case-action.handler';
import { PerCaseQueue } from './commands/per-case-queue';
import { ObserveSlaHandler } from './commands/observe-sla.command';
import { ReopenAfterFollowUpHandler } from './commands/reopen-after-follow-up.command';
import type { FollowUpPolicy } from '@aftersales/case-domain';
import { DEFAULT_FOLLOW_UP_POLICY } from '@aftersales/case-domain';
import { FOLLOW_UP_POLICY } from './tokens';
import { GetCaseEventsHandler } from './queries/get-case-events.query';
import { GetCaseHandler } from './queries/get-case.query';
import { VerifyCaseChainHandler } from './queries/verify-case-chain.query';
import { CachedCalendarDirectory, NO_CALENDAR_CACHE } from './cached-calendar-directory';
import { CALENDAR_CHANGES, CALENDAR_DIRECTORY, CLOCK, CUSTOMER_AT_OPENING, EVENT_STORE, PERSONAL_DATA, SLA_POLICY, TRIAGE_ANALYSER } from './tokens';
import { TriageAnalyser } from '@aftersales/triage';
import type { CalendarDirectory, CustomerAtOpeningLookup, CustomerTierLookup, PriorCaseLookup } from './open-case-lookups';
import { NO_CALENDARS, NO_LOYALTY_TIERS, NO_PRIOR_CASES, customerAtOpeningOf } from './open-case-lookups';

export interface CaseApplicationPorts {
  eventStore: EventStore;
  clock: Clock;
  slaPolicy: SlaPolicy;
  vault: PersonalDataVault;
  /** The merchants' business-hours calendars; none: every case counts 24×7. */
  calendars?: CalendarDirectory;
  /** Tiers from the loyalty view; none: the tier comes from the request. */
  customerTiers?: CustomerTierLookup;
  /** Triage of the text of opening cases (and POST /triage); the default analyser when absent. */
  triage?: TriageAnalyser;
  /** Earlier cases of a customer and order, for repeat-complaint triage; none: no case counts as a repeat. */
  priorCases?: PriorCaseLookup;
  /** Tier and earlier cases read together (one statement); when absent, customerTiers and priorCases side by side. */
  customerAtOpening?: CustomerAtOpeningLookup;
  /** Days until a closure's follow-up falls due (FOLLOW_UP_DAYS, FOLLOW_UP_DAYS_BY_TYPE); 3 days when absent. */
  followUpPolicy?: FollowUpPolicy;
}

@Module({})
export class CaseApplicationModule {
  static forRoot(ports: CaseApplicationPorts): DynamicModule {
    // On the embedded default this process alone stores calendars, so it can keep them (cached-calendar-directory.ts).
    const calendars = ports.calendars ?? NO_CALENDARS;
    const cached = ports.eventStore.kind === 'pglite' ? new CachedCalendarDirectory(calendars) : undefined;
    const providers: Provider[] = [
      { provide: EVENT_STORE, useValue: ports.eventStore },
      { provide: CLOCK, useValue: ports.clock },
      { provide: SLA_POLICY, useValue: ports.slaPolicy },
      { provide: PERSONAL_DATA, useValue: ports.vault },
      { provide: CALENDAR_DIRECTORY, useValue: cached ?? calendars },
      { provide: CALENDAR_CHANGES, useValue: cached ?? NO_CALENDAR_CACHE },
      {
        provide: CUSTOMER_AT_OPENING,
        useValue: ports.customerAtOpening ?? customerAtOpeningOf(ports.customerTiers ?? NO_LOYALTY_TIERS, ports.priorCases ?? NO_PRIOR_CASES),
      },
      { provide: TRIAGE_ANALYSER, useValue: ports.triage ?? new TriageAnalyser() },
      CaseRepository,
      PerCaseQueue,
      OpenCaseHandler,
      RunCaseActionHandler,
      ObserveSlaHandler,
      ReopenAfterFollowUpHandler,
      { provide: FOLLOW_UP_POLICY, useValue: ports.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY },
      GetCaseHandler,
      GetCaseEventsHandler,
      VerifyCaseChainHandler,
    ];
    return {
      module: CaseApplicationModule,
      imports: [CqrsModule],
      providers,
      exports: [EVENT_STORE, CLOCK, SLA_POLICY, PERSONAL_DATA, TRIAGE_ANALYSER, CALENDAR_CHANGES, CqrsModule],
    };
  }
}
