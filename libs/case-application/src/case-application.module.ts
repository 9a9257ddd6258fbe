/** The case's command and query side as a Nest module; the composition root provides the ports. */
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Clock, SlaPolicy } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { CaseRepository } from './case-repository';
import { OpenCaseHandler } from './commands/open-case.handler';
import { RunCaseActionHandler } from './commands/run-case-action.handler';
import { ObserveSlaHandler } from './commands/observe-sla.command';
import { GetCaseEventsHandler } from './queries/get-case-events.query';
import { GetCaseHandler } from './queries/get-case.query';
import { VerifyCaseChainHandler } from './queries/verify-case-chain.query';
import { CLOCK, EVENT_STORE, PERSONAL_DATA, SLA_POLICY } from './tokens';

export interface CaseApplicationPorts {
  eventStore: EventStore;
  clock: Clock;
  slaPolicy: SlaPolicy;
  vault: PersonalDataVault;
}

@Module({})
export class CaseApplicationModule {
  static forRoot(ports: CaseApplicationPorts): DynamicModule {
    const providers: Provider[] = [
      { provide: EVENT_STORE, useValue: ports.eventStore },
      { provide: CLOCK, useValue: ports.clock },
      { provide: SLA_POLICY, useValue: ports.slaPolicy },
      { provide: PERSONAL_DATA, useValue: ports.vault },
      CaseRepository,
      OpenCaseHandler,
      RunCaseActionHandler,
      ObserveSlaHandler,
      GetCaseHandler,
      GetCaseEventsHandler,
      VerifyCaseChainHandler,
    ];
    return {
      module: CaseApplicationModule,
      imports: [CqrsModule],
      providers,
      exports: [EVENT_STORE, CLOCK, SLA_POLICY, PERSONAL_DATA, CqrsModule],
    };
  }
}
