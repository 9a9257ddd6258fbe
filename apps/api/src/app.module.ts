/** The API's composition: case application over the chosen event store, HTTP controllers, auth, metrics. */
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard, TokenRegistry } from '@aftersales/access-control';
import type { CaseApplicationPorts } from '@aftersales/case-application';
import { CaseApplicationModule } from '@aftersales/case-application';
import { JsonLogger, Metrics, Readiness } from '@aftersales/observability';
import { CaseActionsController } from './http/case-actions.controller';
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
import { KAFKA_TOPICS, ORDER_INTAKE, PROJECTION_ADMIN, READ_MODELS } from './composition/tokens';
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
  /** Requests per second and burst per caller; 0 turns limiting off. */
  rateLimit?: { perSecond: number; burst: number };
}

@Module({})
export class AppModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [CaseApplicationModule.forRoot(deps)],
      controllers: [HealthController, CasesController, CaseActionsController, ViewsController, OrderEventsController, AuditController, AdminController, PersonalDataController],
      providers: [
        { provide: TokenRegistry, useValue: deps.tokens },
        { provide: JsonLogger, useValue: deps.logger },
        { provide: Metrics, useValue: deps.metrics },
        { provide: Readiness, useFactory: () => readinessOf(deps) },
        { provide: READ_MODELS, useValue: deps.readModels },
        { provide: KAFKA_TOPICS, useValue: deps.kafkaTopics ?? DEFAULT_TOPICS },
        { provide: ORDER_INTAKE, useValue: deps.orderIntake },
        {
          provide: PROJECTION_ADMIN,
          useFactory: () => {
            const admin = new ProjectionAdmin(deps.readModels, deps.eventStore);
            registerOperationalMetrics(deps.metrics, admin, deps.readModels, deps.eventStore, deps.clock);
            return admin;
          },
        },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useFactory: (logger: JsonLogger) => new HttpErrorFilter(logger), inject: [JsonLogger] },
      ],
    };
  }
}

function readinessOf(deps: ApiDependencies): Readiness {
  const readiness = deps.readiness ?? new Readiness();
  readiness.register('eventStore', async () => {
    await deps.eventStore.ping();
    return { kind: deps.eventStore.kind };
  });
  return readiness;
}
