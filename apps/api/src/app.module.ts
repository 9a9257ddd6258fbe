/** The API's composition: case application over the chosen event store, HTTP controllers, auth, metrics. */
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard, PUBLIC_SWITCHES, TokenRegistry } from '@aftersales/access-control';
import { ThrottlerModule } from '@nestjs/throttler';
import type { CaseApplicationPorts, CustomerAtOpeningLookup } from '@aftersales/case-application';
import { CaseApplicationModule } from '@aftersales/case-application';
import { JsonLogger, Metrics, Readiness } from '@aftersales/observability';
import { CaseActionsController } from './http/case-actions.controller';
import { ProcessShutdown } from './composition/process-shutdown';
import { CasesController } from './http/cases.controller';
import { HealthController } from './http/health.controller';
import { HttpErrorFilter } from './http/http-error.filter';
import { AuditController } from './http/audit.controller';
import { AdminController } from './http/admin.controller';
import { PersonalDataController } from './http/personal-data.controller';
import { ProjectionAdmin } from './admin/projection-admin';
import { registerOperationalMetrics } from './admin/operational-metrics';
import { OrderEventsController } from './http/order-events.controller';
import { ViewsController } from './http/views.controller';
import { FollowUpsController } from './http/follow-ups.controller';
import { CalendarsController } from './http/calendars.controller';
import { SqlCalendarStore } from '@aftersales/business-calendar';
import { SqlCustomerAtOpeningLookup, SqlLoyaltyTierLookup, SqlPriorCaseLookup } from '@aftersales/read-models';
import { TriageController } from './http/triage.controller';
import { ConsoleController } from './http/console.controller';
import { WhatIfController } from './http/what-if.controller';
import { WhoamiController } from './http/whoami.controller';
import type { RateLimit } from './http/rate-limit.guard';
import { RateLimitGuard, rateLimitOptions } from './http/rate-limit.guard';
import { CALENDAR_STORE, JURISDICTION_PROFILES, KAFKA_TOPICS, ORDER_INTAKE, PROJECTION_ADMIN, READ_MODELS } from './composition/tokens';
import { complianceConfigurationFromEnvironment } from './composition/compliance-config';
import type { JurisdictionProfiles } from '@aftersales/compliance';
import { DEFAULT_TOPICS } from '@aftersales/kafka-transport';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import type { OrderFactIntake } from '@aftersales/order-facts';
import type { SqlClient } from '@aftersales/sql-client';

export interface ApiDependencies extends CaseApplicationPorts {
  tokens: TokenRegistry;
  logger: JsonLogger;
  metrics: Metrics;
  readModels: SqlClient;
  orderIntake: OrderFactIntake;
  /** Readiness checks beyond the event store's (the Kafka background adds the broker); one is made if absent. */
  readiness?: Readiness;
  /** The topic names of this installation, for the AsyncAPI document (the defaults when absent). */
  kafkaTopics?: KafkaTopics;
  /** Requests per second and burst per principal (per address before authentication); absent or 0: off. */
  rateLimit?: RateLimit;
  /** GET /metrics without a token (METRICS_PUBLIC=true); otherwise admin or metrics role. */
  metricsPublic?: boolean;
  /** The largest money amount accepted (MAX_AMOUNT); DEFAULT_MAX_AMOUNT when absent. */
  maxAmount?: number;
  /** Compliance profiles (CN, EU and configured ones); read from the environment when absent. */
  jurisdictions?: JurisdictionProfiles;
}

@Module({})
export class AppModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    // Business-hours calendars and loyalty tiers live beside the read models; opening a case looks both up.
    const calendars = new SqlCalendarStore(deps.readModels);
    const lookups = { calendars: deps.calendars ?? calendars, customerTiers: deps.customerTiers ?? new SqlLoyaltyTierLookup(deps.readModels) };
    // Triage of opening cases: earlier cases from the loyalty view; regulator terms overridable by TRIAGE_REGULATOR_TERMS_FILE.
    // Jurisdiction profiles add their regulator terms (COMPLIANCE_PROFILES_FILE); main.ts reads and validates both files at start-up.
    const configured = deps.triage && deps.jurisdictions ? undefined : complianceConfigurationFromEnvironment();
    const jurisdictions = deps.jurisdictions ?? configured!.jurisdictions;
    const triage = { priorCases: deps.priorCases ?? new SqlPriorCaseLookup(deps.readModels), triage: deps.triage ?? configured!.triage };
    return {
      module: AppModule,
      imports: [
        CaseApplicationModule.forRoot({ ...deps, ...lookups, ...triage, customerAtOpening: customerAtOpeningFromView(deps) }),
        ThrottlerModule.forRoot(rateLimitOptions(deps.rateLimit ?? { perSecond: 0, burst: 0 }, deps.clock)),
      ],
      controllers: [
        HealthController,
        CasesController,
        CaseActionsController,
        ViewsController,
        OrderEventsController,
        AuditController,
        AdminController,
        PersonalDataController,
        WhatIfController,
        WhoamiController,
        ConsoleController,
        CalendarsController,
        TriageController,
        FollowUpsController,
      ],
      providers: [
        { provide: TokenRegistry, useValue: deps.tokens },
        ProcessShutdown,
        { provide: JsonLogger, useValue: deps.logger },
        { provide: Metrics, useValue: deps.metrics },
        { provide: Readiness, useFactory: () => readinessOf(deps) },
        { provide: READ_MODELS, useValue: deps.readModels },
        {
          provide: CALENDAR_STORE,
          useFactory: async () => {
            await calendars.init();
            return calendars;
          },
        },
        { provide: KAFKA_TOPICS, useValue: deps.kafkaTopics ?? DEFAULT_TOPICS },
        { provide: ORDER_INTAKE, useValue: deps.orderIntake },
        { provide: JURISDICTION_PROFILES, useValue: jurisdictions },
        {
          provide: PROJECTION_ADMIN,
          useFactory: () => {
            const admin = new ProjectionAdmin(deps.readModels, deps.eventStore);
            registerOperationalMetrics(deps.metrics, admin, deps.readModels, deps.eventStore, deps.clock);
            return admin;
          },
        },
        { provide: PUBLIC_SWITCHES, useValue: { metrics: deps.metricsPublic ?? false } },
        // Rate limit first, so requests with a wrong or no token are limited (per address) too.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useFactory: (logger: JsonLogger) => new HttpErrorFilter(logger), inject: [JsonLogger] },
      ],
    };
  }
}

/** Tier and earlier cases both from the loyalty view, one statement per opening, unless a port for them is given. */
function customerAtOpeningFromView(deps: ApiDependencies): CustomerAtOpeningLookup | undefined {
  if (deps.customerAtOpening || deps.customerTiers || deps.priorCases) return deps.customerAtOpening;
  return new SqlCustomerAtOpeningLookup(deps.readModels);
}

function readinessOf(deps: ApiDependencies): Readiness {
  const readiness = deps.readiness ?? new Readiness();
  readiness.register('eventStore', async () => {
    await deps.eventStore.ping();
    return { kind: deps.eventStore.kind };
  });
  return readiness;
}
