/** FOLLOW_UP_DAYS and FOLLOW_UP_DAYS_BY_TYPE: the follow-up policy, validated at start-up with every problem named. */
import { ConfigError, loadConfig } from '../src';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Follow-up configuration', () => {
  it('defaults to 3 days for every case type', () => {
    expect(loadConfig({}).followUpPolicy).toEqual({ defaultDays: 3, byType: {} });
  });

  it('reads the default and the per-type days', () => {
    expect(loadConfig({ FOLLOW_UP_DAYS: '5', FOLLOW_UP_DAYS_BY_TYPE: 'REPAIR=7, WARRANTY=14' }).followUpPolicy).toEqual({
      defaultDays: 5,
      byType: { REPAIR: 7, WARRANTY: 14 },
    });
  });

  it('refuses bad values, naming the variable and the entry', () => {
    expect(problemsOf({ FOLLOW_UP_DAYS: 'three', FOLLOW_UP_DAYS_BY_TYPE: 'REPAIR=7,PARCEL=2,WARRANTY=-1,RETURN,REPAIR=9' })).toEqual([
      "FOLLOW_UP_DAYS must be a whole number of days from 0 to 365, got 'three'",
      "FOLLOW_UP_DAYS_BY_TYPE entry 'PARCEL=2' must be TYPE=days with a type of RETURN, EXCHANGE, REFUND, REPAIR, WARRANTY, TECH_SUPPORT, COMPLAINT",
      "FOLLOW_UP_DAYS_BY_TYPE WARRANTY must be a whole number of days from 0 to 365, got '-1'",
      "FOLLOW_UP_DAYS_BY_TYPE entry 'RETURN' must be TYPE=days with a type of RETURN, EXCHANGE, REFUND, REPAIR, WARRANTY, TECH_SUPPORT, COMPLAINT",
      'FOLLOW_UP_DAYS_BY_TYPE names REPAIR twice',
    ]);
    expect(problemsOf({ FOLLOW_UP_DAYS: '366' })).toEqual(["FOLLOW_UP_DAYS must be a whole number of days from 0 to 365, got '366'"]);
  });
});
