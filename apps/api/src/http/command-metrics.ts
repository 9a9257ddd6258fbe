/** Counts and times one case command by action and outcome. */
import type { Metrics } from '@aftersales/observability';
import type { CaseCommandAnswer } from '@aftersales/case-application';

export async function measuredCommand(metrics: Metrics, action: string, run: () => Promise<CaseCommandAnswer>): Promise<CaseCommandAnswer> {
  const stop = metrics.commandDuration.startTimer({ action });
  try {
    const answer = await run();
    metrics.commands.inc({ action, outcome: answer.replayed ? 'replayed' : 'ok' });
    return answer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    metrics.commands.inc({ action, outcome: typeof code === 'string' ? code : 'error' });
    throw error;
  } finally {
    stop();
  }
}
