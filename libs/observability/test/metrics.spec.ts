/** The Prometheus registry: the names the dashboards and alerts rely on, and counts that move with what happened. */
import { Metrics } from '../src';

describe('Metrics', () => {
  it('exposes every series under its documented name', async () => {
    const text = await new Metrics().registry.metrics();
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds',
      'case_commands_total',
      'case_command_duration_seconds',
      'aftersales_events_appended_total',
      'aftersales_sla_breaches_total',
      'aftersales_dead_lettered_records_total',
      'aftersales_consumer_restarts_total',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts by label, each registry on its own', async () => {
    const metrics = new Metrics();
    metrics.commands.inc({ action: 'acknowledge', outcome: 'ok' });
    metrics.commands.inc({ action: 'acknowledge', outcome: 'ok' });
    metrics.commands.inc({ action: 'acknowledge', outcome: 'INVALID_TRANSITION' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('case_commands_total{action="acknowledge",outcome="ok"} 2');
    expect(text).toContain('case_commands_total{action="acknowledge",outcome="INVALID_TRANSITION"} 1');
    expect(await new Metrics().registry.metrics()).not.toContain('case_commands_total{');
  });
});
