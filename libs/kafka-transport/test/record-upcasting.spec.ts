/**
 * Schema versions on the case-events topic (spec section 8): a record of an older known version is upcast while it
 * is decoded, so every projector reads the current shape; a version from a later release is dead-lettered.
 */
import { RecordRejectedError } from '@aftersales/read-models';
import { fromKafkaMessage } from '../src';

const headers = (version: string) => ({
  ce_specversion: '1.0',
  ce_id: 'e-0',
  ce_type: `aftersales.CaseOpened.v${version}`,
  ce_eventtype: 'CaseOpened',
  ce_schemaversion: version,
  ce_streamid: 'case-1',
  ce_revision: '0',
  ce_time: '2026-03-02T09:00:00.000Z',
  ce_actortype: 'service',
  ce_actorid: 'web-shop',
});
const record = (version: string, data: object) => ({ key: Buffer.from('1'), value: Buffer.from(JSON.stringify(data)), headers: headers(version) });

describe('Decoding CaseOpened records of each schema version', () => {
  it('given a v1 record, when it is decoded, then the projector gets the v2 shape', () => {
    const event = fromKafkaMessage(record('1', { caseId: '1', customerTier: 'GOLD', tierSource: 'loyalty', priority: 'HIGH' }));
    expect(event.data).toEqual({ caseId: '1', priority: 'HIGH', tier: { level: 'GOLD', source: 'loyalty' } });
  });

  it('given a v2 record, then its data is passed as it is', () => {
    const data = { caseId: '1', priority: 'HIGH', tier: { level: 'GOLD', source: 'given' } };
    expect(fromKafkaMessage(record('2', data)).data).toEqual(data);
  });

  it('given a v3 record from a later release, then it is refused as unknown_version', () => {
    let reason: string | undefined;
    try {
      fromKafkaMessage(record('3', { caseId: '1' }));
    } catch (error) {
      reason = (error as RecordRejectedError).reason;
    }
    expect(reason).toBe('unknown_version');
  });
});
