/** Commands on one case in one process run one after another; other cases are not held up; a failure holds nothing up. */
import { PerCaseQueue } from '@aftersales/case-application';

/** A unit of work that finishes when the test says so, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    open = () => resolve(name);
    fail = reject;
  });
  return { work: () => (log.push(`start ${name}`), done), open, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PerCaseQueue', () => {
  it('given two commands on one case, the second starts only after the first has finished', async () => {
    const queue = new PerCaseQueue();
    const log: string[] = [];
    const [first, second] = [gate(log, 'a1'), gate(log, 'a2')];
    const results = [queue.run('case-a', first.work), queue.run('case-a', second.work)];
    await settle();
    expect(log).toEqual(['start a1']);
    first.open();
    await settle();
    expect(log).toEqual(['start a1', 'start a2']);
    second.open();
    expect(await Promise.all(results)).toEqual(['a1', 'a2']);
  });

  it('given a command waiting on one case, a command on another case runs at once', async () => {
    const queue = new PerCaseQueue();
    const log: string[] = [];
    const [a, b] = [gate(log, 'a'), gate(log, 'b')];
    const results = [queue.run('case-a', a.work), queue.run('case-b', b.work)];
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    a.open();
    b.open();
    await Promise.all(results);
  });

  it('given a command that fails, its caller gets the error and the next command on the case still runs', async () => {
    const queue = new PerCaseQueue();
    const log: string[] = [];
    const [failing, next] = [gate(log, 'x'), gate(log, 'y')];
    const failed = queue.run('case-a', failing.work);
    const after = queue.run('case-a', next.work);
    failing.fail(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');
    next.open();
    expect(await after).toBe('y');
    await settle();
    expect(queue.busyCases).toBe(0);
  });
});
