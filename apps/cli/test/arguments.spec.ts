/** The CLI's command line: every command's flags are known, and anything else is refused with the usage. */
import { UsageError, parseCommandLine } from '../src/arguments';

describe('aftersales command line', () => {
  it('reads each command with its flags', () => {
    expect(parseCommandLine(['rebuild', 'loyalty'])).toEqual({ help: false, invocation: { command: 'rebuild', which: 'loyalty' } });
    expect(parseCommandLine(['rebuild'])).toEqual({ help: false, invocation: { command: 'rebuild', which: 'all' } });
    expect(parseCommandLine(['verify', '--case', 'a', '--case', 'b'])).toEqual({ help: false, invocation: { command: 'verify', caseIds: ['a', 'b'] } });
    expect(parseCommandLine(['export', '--stream', 'case-1', '--from', '2026-01-01T00:00:00Z', '--out=x.ndjson'])).toEqual({
      help: false,
      invocation: { command: 'export', options: { streams: ['case-1'], from: '2026-01-01T00:00:00Z', to: undefined, out: 'x.ndjson' } },
    });
    expect(parseCommandLine(['what-if', '--policy', 'p.json', '--at', '2026-03-01T00:00:00Z'])).toEqual({
      help: false,
      invocation: { command: 'what-if', policy: 'p.json', at: new Date('2026-03-01T00:00:00Z') },
    });
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
  });

  it.each([
    ['an unknown flag', ['verify', '--cases', 'a'], "Unknown option '--cases'"],
    ['a flag of another command', ['rebuild', '--policy', 'p.json'], "Unknown option '--policy'"],
    ['a flag without its value', ['export', '--stream'], "Option '--stream <value>' argument missing"],
    ['a stray argument', ['verify', 'case-1'], "unexpected argument 'case-1'"],
    ['a second view to rebuild', ['rebuild', 'loyalty', 'escalation'], "unexpected argument 'escalation'"],
    ['what-if without a policy', ['what-if'], 'what-if needs --policy FILE'],
    ['what-if at no time', ['what-if', '--policy', 'p.json', '--at', 'yesterday'], '--at must be an ISO 8601 time'],
    ['an unknown command', ['replay'], "unknown command 'replay'"],
    ['no command', [], 'no command given'],
  ])('refuses %s', (_, argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
