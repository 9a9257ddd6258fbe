/** Readiness: every named check runs, bounded in time; one that throws, is late or says down makes the report not ready. */
import { Readiness, correlationIdFrom } from '../src';

describe('Readiness', () => {
  afterEach(() => jest.useRealTimers());

  it('is ready when every check answers up, with their details', async () => {
    const readiness = new Readiness();
    readiness.register('store', async () => ({ kind: 'pglite' }));
    readiness.register('kafka', async () => ({ status: 'up', brokers: 1 }));
    const report = await readiness.report();
    expect(report.ready).toBe(true);
    expect(report.components.store).toMatchObject({ status: 'up', kind: 'pglite' });
    expect(report.components.kafka).toMatchObject({ status: 'up', brokers: 1 });
  });

  it('is not ready when a check throws or answers down, naming why', async () => {
    const readiness = new Readiness();
    readiness.register('store', async () => Promise.reject(new Error('connection refused')));
    readiness.register('projectors', async () => ({ status: 'down', error: 'projector-loyalty is stopped' }));
    readiness.register('fine', async () => ({}));
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.components.store).toMatchObject({ status: 'down', error: 'connection refused' });
    expect(report.components.projectors).toMatchObject({ status: 'down', error: 'projector-loyalty is stopped' });
    expect(report.components.fine.status).toBe('up');
  });

  it('counts a check that does not answer in time as down', async () => {
    jest.useFakeTimers();
    const readiness = new Readiness(2_000);
    readiness.register('hung', () => new Promise(() => undefined));
    const reporting = readiness.report();
    await jest.advanceTimersByTimeAsync(2_000);
    const report = await reporting;
    expect(report.ready).toBe(false);
    expect(report.components.hung).toMatchObject({ status: 'down', error: 'no answer within 2000 ms' });
  });

  it('forgets an unregistered check', async () => {
    const readiness = new Readiness();
    readiness.register('consumers', async () => ({ status: 'down' }));
    readiness.unregister('consumers');
    expect(await readiness.report()).toEqual({ ready: true, components: {} });
  });
});

describe('correlationIdFrom', () => {
  it("keeps a well-formed caller's id and replaces anything else with a new one", () => {
    expect(correlationIdFrom('order-1001:retry.2')).toBe('order-1001:retry.2');
    for (const bad of ['has space', 'x'.repeat(129), '', ['a', 'b'], undefined, 'new\nline']) {
      const id = correlationIdFrom(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
