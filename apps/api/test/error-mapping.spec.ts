import { BusinessRuleError } from '@aftersales/case-domain';
import { toErrorBody } from '../src/http/http-error.filter';

describe('Error mapping', () => {
  it('turns a lost or refused database connection into a retryable 503, not a 500', () => {
    for (const error of [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      expect(toErrorBody(error)).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE', retryable: true });
    }
  });

  it('leaves business refusals and unknown failures alone', () => {
    expect(toErrorBody(new BusinessRuleError('X', 'no'))).toMatchObject({ statusCode: 422, rule: 'X' });
    expect(toErrorBody(new Error('bug'))).toBeUndefined();
  });
});
