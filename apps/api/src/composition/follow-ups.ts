/**
 * The follow-up process manager's reopener in this process: it runs where the `follow-ups` projection runs and
 * sends each pending reopening through the command bus as ReopenAfterFollowUpCommand.
 */
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReopenAfterFollowUpCommand } from '@aftersales/case-application';
import type { ReopenAfterFollowUpResult } from '@aftersales/case-application';
import type { JsonLogger } from '@aftersales/observability';
import { FollowUpReopener } from '@aftersales/read-models';
import type { Storage } from '@aftersales/storage';

export const FOLLOW_UPS_PROJECTION = 'follow-ups';

export function followUpReopenerFor(app: INestApplication, storage: Storage, logger: JsonLogger): FollowUpReopener {
  const commands = app.get(CommandBus);
  return new FollowUpReopener(
    storage.readModels,
    ({ caseId, sequence, recordedEventId, correlationId }) =>
      commands.execute<ReopenAfterFollowUpCommand, ReopenAfterFollowUpResult>(
        new ReopenAfterFollowUpCommand(caseId, sequence, { eventId: recordedEventId, correlationId }),
      ),
    { onError: (error) => logger.event('error', 'follow-up reopener failed', { error: error.message }) },
  );
}
