// The scope rules on a fixed tree: who reads and writes where, and who sees personal data.
import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '#shared/events';
import { buildOrgTree } from '../../src/server/access/org-tree.ts';
import { scopeFromTree, type Principal, type RoleGrant } from '../../src/server/access/scope.ts';
import type { OrgUnit } from '../../src/server/storage/account-store.ts';
import { UNITS } from './access-fixtures.ts';

const tree = buildOrgTree(UNITS.map((u): OrgUnit => ({ code: null, shortName: null, ...u })));
const ALL = UNITS.map((u) => u.id);

function scopeOf(...roles: RoleGrant[]) {
  const principal: Principal = { userId: 'u', username: 'u', displayName: 'u', roles, tokenId: 't' };
  return scopeFromTree(tree, principal);
}

function event(type: DomainEvent['type'], orgUnitId: string): DomainEvent {
  return {
    id: '0193a000-0000-7000-8000-000000000001',
    type,
    subjectId: '0193a000-0000-7000-8000-000000000002',
    orgUnitId,
    occurredAt: '2024-05-01T10:00:00+08:00',
    recordedAt: '2024-05-01T10:00:00+08:00',
    deviceId: 'd',
    deviceSeq: 1,
    data: {},
  } as DomainEvent;
}

const readable = (s: ReturnType<typeof scopeOf>) => [...s.readableUnits].sort();
const writable = (s: ReturnType<typeof scopeOf>) => ALL.filter((id) => s.canWrite(event('case.opened', id)) === 'ok').sort();

describe('scope', () => {
  test('admin reads and writes everywhere, but sees personal data masked', () => {
    const s = scopeOf({ role: 'admin', orgUnitId: '*' });
    expect(s.isAdmin).toBe(true);
    expect(readable(s)).toEqual([...ALL].sort());
    expect(writable(s)).toEqual([...ALL].sort());
    expect(s.canKeepLedger('OT')).toBe(true);
    expect(s.seesPersonalData('G1')).toBe(false);
  });

  test('office reads the subtree of its unit, writes no field events, sees personal data masked', () => {
    const s = scopeOf({ role: 'office', orgUnitId: 'JK' });
    expect(readable(s)).toEqual(['C1', 'G1', 'G2', 'G3', 'JK', 'S1', 'TC', 'V1', 'V2']);
    expect(s.canRead('OG')).toBe(false);
    expect(writable(s)).toEqual([]);
    expect(s.canWrite(event('outreach.recorded', 'JK'))).toBe('forbidden_org_unit');
    // Office ledgers (法律顾问, 行政执法…) are the office's own records, written by the server.
    expect(s.canKeepLedger('JK')).toBe(true);
    expect(s.canKeepLedger('V1')).toBe(true);
    expect(s.canKeepLedger('OT')).toBe(false);
    expect(s.canWrite(event('ledger.recorded', 'JK'))).toBe('forbidden_type');
    expect(s.seesPersonalData('G1')).toBe(false);
  });

  test('a mediator granted on a committee reads and writes the committee’s village subtree', () => {
    const s = scopeOf({ role: 'mediator', orgUnitId: 'C1' });
    expect(readable(s)).toEqual(['C1', 'G1', 'G2', 'V1']);
    expect(writable(s)).toEqual(['C1', 'G1', 'G2', 'V1']);
    for (const type of ['case.closed', 'outreach.recorded', 'sweep.recorded'] as const) expect(s.canWrite(event(type, 'G2'))).toBe('ok');
    expect(s.canWrite(event('case.opened', 'G3'))).toBe('forbidden_org_unit');
    expect(s.canKeepLedger('V1')).toBe(false);
    expect(s.seesPersonalData('G2')).toBe(true);
    expect(s.seesPersonalData('G3')).toBe(false);
  });

  test('a mediator on the town committee or a station covers the whole town', () => {
    expect(readable(scopeOf({ role: 'mediator', orgUnitId: 'TC' }))).toEqual(['C1', 'G1', 'G2', 'G3', 'JK', 'S1', 'TC', 'V1', 'V2']);
    expect(writable(scopeOf({ role: 'mediator', orgUnitId: 'S1' }))).toContain('G3');
  });

  test('a grid worker reads and writes its grid only', () => {
    const s = scopeOf({ role: 'grid_worker', orgUnitId: 'G1' });
    expect(readable(s)).toEqual(['G1']);
    expect(writable(s)).toEqual(['G1']);
    expect(s.canRead('V1')).toBe(false);
    expect(s.canWrite(event('case.opened', 'V1'))).toBe('forbidden_org_unit');
    expect(s.canKeepLedger('G1')).toBe(false);
    expect(s.seesPersonalData('G1')).toBe(true);
    expect(s.seesPersonalData('G2')).toBe(false);
  });

  test('several grants union', () => {
    const s = scopeOf({ role: 'grid_worker', orgUnitId: 'G1' }, { role: 'grid_worker', orgUnitId: 'G3' }, { role: 'office', orgUnitId: 'OT' });
    expect(readable(s)).toEqual(['G1', 'G3', 'OG', 'OT', 'OV']);
    expect(writable(s)).toEqual(['G1', 'G3']);
    expect(s.seesPersonalData('OG')).toBe(false);
  });

  test('unknown units and server-only types are refused to everyone', () => {
    for (const s of [scopeOf({ role: 'admin', orgUnitId: '*' }), scopeOf({ role: 'grid_worker', orgUnitId: 'G1' })]) {
      expect(s.canWrite(event('case.opened', 'no-such-unit'))).toBe('forbidden_org_unit');
      expect(s.canWrite(event('case.numbered', 'G1'))).toBe('forbidden_type');
    }
    // A grant on a unit that was removed or never existed gives nothing.
    expect(readable(scopeOf({ role: 'grid_worker', orgUnitId: 'gone' }))).toEqual([]);
  });
});
