/** PollingLoop's pacing: at once while busy (or after busyMs), after idleMs when idle. */
import { PollingLoop } from '../src';

describe('PollingLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const loopOf = (found: number[], busyMs: number) => {
    const passes: number[] = [];
    const loop = new PollingLoop(
      async () => {
        passes.push(Date.now());
        return found.shift() ?? 0;
      },
      1_000,
      undefined,
      busyMs,
    );
    return { loop, passes };
  };

  it('given busyMs, when a pass finds work, then the next pass waits busyMs, and idleMs once idle', async () => {
    const { loop, passes } = loopOf([3, 2, 0], 40);
    const start = Date.now();
    loop.start();
    await jest.advanceTimersByTimeAsync(39);
    expect(passes.map((t) => t - start)).toEqual([0]);
    await jest.advanceTimersByTimeAsync(41);
    expect(passes.map((t) => t - start)).toEqual([0, 40, 80]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(passes.map((t) => t - start)).toEqual([0, 40, 80, 1_080]);
    const stopped = loop.stop();
    await jest.advanceTimersByTimeAsync(0);
    await stopped;
  });

  it('given no busyMs, when a pass finds work, then the next pass runs at once', async () => {
    const { loop, passes } = loopOf([3, 2, 0], 0);
    const start = Date.now();
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(passes.map((t) => t - start)).toEqual([0, 0, 0]);
    const stopped = loop.stop();
    await jest.advanceTimersByTimeAsync(0);
    await stopped;
  });
});
