import {
  MAX_JSON_DEPTH,
  edgeProblems,
  isCalendarDay,
  isInstant,
  isMoneyAmount,
  isNormalizedId,
  jsonNestsDeeperThan,
  setMaxAmount,
  unsafeTextProblems,
  valueDepth,
} from '../src';

describe('Edge checks no decorator makes', () => {
  it('finds nesting deeper than the limit in raw JSON without parsing it, brackets inside strings not counted', () => {
    expect(jsonNestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000))).toBe(true);
    expect(jsonNestsDeeperThan('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`)).toBe(false);
    expect(valueDepth({ a: [{ b: 1 }] })).toBe(3);
  });

  it('names every string and key holding a NUL or a lone surrogate, a surrogate pair being fine', () => {
    expect(unsafeTextProblems({ ok: '😀', bad: 'x\ud800', nested: { list: ['\udc00y'] }, ['k\ud800']: 1, nul: 'a\u0000' }).map((p) => p.field)).toEqual([
      'bad',
      'k\ud800',
      'nul',
      'nested.list.0',
    ]);
  });

  it('takes ids in NFKC without control or space characters, in any script; refuses NFD, full-width and spaces', () => {
    expect(isNormalizedId('cust-caf\u00e9')).toBe(true);
    expect(isNormalizedId('客户-42')).toBe(true);
    expect(isNormalizedId('cust-cafe\u0301')).toBe(false);
    expect(isNormalizedId('\uff4f\uff52\uff44-\uff11')).toBe(false);
    expect(isNormalizedId('a b')).toBe(false);
    expect(isNormalizedId('a\u200bb')).toBe(false); // zero-width space
    expect(edgeProblems({ customerId: 'cafe\u0301', note: 'cafe\u0301' }).map((p) => p.field)).toEqual(['customerId']); // only ids
  });

  it('refuses null in a body when asked, naming the field', () => {
    expect(edgeProblems({ expectedRevision: null, a: { b: null } }, '', { refuseNull: true }).map((p) => p.field)).toEqual(['expectedRevision', 'a.b']);
    expect(edgeProblems({ expectedRevision: null })).toEqual([]);
  });

  it('takes only days and times that exist, with a four-digit year and an offset on times', () => {
    expect(['2026-02-28', '2024-02-29', '2000-02-29'].map(isCalendarDay)).toEqual([true, true, true]);
    expect(['2026-02-29', '1900-02-29', '2026-13-01', '2026-04-31', '0000-01-01', '+275760-09-13', 'yesterday'].map(isCalendarDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.123+08:00', '2026-03-01T10:00Z'].map(isInstant)).toEqual([true, true, true]);
    expect(['2026-03-01T10:00:00', '2026-02-30T10:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:00:00+25:00', '2026-W01'].map(isInstant)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('takes money that is finite, within the maximum and with at most two decimals', () => {
    setMaxAmount(1000);
    try {
      expect([0, 0.1, 999.99, 1000, -5].map(isMoneyAmount)).toEqual([true, true, true, true, true]); // the sign is @Min's to judge
      expect([1000.01, 1e308, Infinity, NaN, 5e-324, 1.005, '10'].map(isMoneyAmount)).toEqual([false, false, false, false, false, false, false]);
    } finally {
      setMaxAmount(1_000_000_000);
    }
  });
});
