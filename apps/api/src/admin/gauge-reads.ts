/**
 * Reads a gauge makes at scrape time, with their failures made visible: each failure is counted in
 * `aftersales_metric_read_failures_total{gauge}` and logged (once when the reads start failing, once when they
 * work again, so a scrape every few seconds does not flood the log), and the gauge reports no series rather than
 * a stale or made-up value. A scrape reads the counter while the gauges collect, so the count it shows is the one
 * up to the scrape before.
 */
import { Logger } from '@nestjs/common';
import type { Metrics } from '@aftersales/observability';

export type GaugeRead = <T>(read: () => Promise<T>) => Promise<T | undefined>;

export function gaugeRead(metrics: Metrics, gauge: string, logger: Pick<Logger, 'warn' | 'log'> = new Logger('Metrics')): GaugeRead {
  let failing = false;
  return async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await read();
      if (failing) logger.log(`${gauge}: reads work again`);
      failing = false;
      return value;
    } catch (error) {
      metrics.metricReadFailures.inc({ gauge });
      if (!failing) logger.warn(`${gauge}: could not be read (${(error as Error).message}); reported without series until it can`);
      failing = true;
      return undefined;
    }
  };
}
