import { describe, expect, it } from 'vitest';
import { military, student } from './fixtures.test-support.ts';
import type { RegistryMapping } from './registry-config.ts';
import { interpretAnswer, valueAt } from './registry-response.ts';

describe('valueAt', () => {
  it('follows dot paths through objects and arrays, own properties only', () => {
    const json = { data: { items: [{ id: 'a' }, { id: 'b' }] } };
    expect(valueAt(json, 'data.items.1.id')).toBe('b');
    expect(valueAt(json, 'data.items.2.id')).toBeUndefined();
    expect(valueAt(json, 'data.items.x')).toBeUndefined();
    expect(valueAt(json, 'data.toString')).toBeUndefined();
    expect(valueAt(json, 'data.__proto__')).toBeUndefined();
    expect(valueAt('text', 'length')).toBeUndefined();
  });
});

describe('interpretAnswer', () => {
  const mapping: RegistryMapping = {
    verifiedPath: 'ok',
    verifiedValues: [true, 'Active'],
    defaultSubgroup: 'Veteran',
  };
  const interpret = (json: unknown, overrides: Partial<RegistryMapping> = {}) =>
    interpretAnswer(json, { ...mapping, ...overrides }, military, 'r1');

  it('compares strings case-insensitively and other values exactly', () => {
    expect(interpret({ ok: ' active ' })).toEqual({
      outcome: 'verified',
      subgroups: ['Veteran'],
      reference: 'registry:r1',
    });
    expect(interpret({ ok: true })).toMatchObject({ outcome: 'verified' });
    expect(interpret({ ok: 'true' })).toMatchObject({ outcome: 'rejected', reference: 'registry:r1' });
    expect(interpret({ ok: 1 })).toMatchObject({ outcome: 'rejected' });
    expect(interpret({ ok: false })).toMatchObject({ outcome: 'rejected' });
  });

  it('is unavailable when the verified value is missing or not a value', () => {
    for (const json of [{}, { ok: null }, { ok: { yes: true } }, { ok: [true] }, null, 'active', []]) {
      expect(interpret(json)).toMatchObject({ outcome: 'unavailable' });
    }
  });

  it('takes a subgroup the registry names in the community’s spelling, or the default when absent', () => {
    const bySubgroup = { subgroupPath: 'group' };
    expect(interpret({ ok: true, group: 'RETIREE' }, bySubgroup)).toMatchObject({ subgroups: ['Retiree'] });
    expect(interpret({ ok: true }, bySubgroup)).toMatchObject({ subgroups: ['Veteran'] });
    expect(interpret({ ok: true, group: 'Pilot' }, bySubgroup)).toMatchObject({ outcome: 'unavailable' });
    const mapped = { subgroupPath: 'g', subgroupMap: { '1': 'Retiree' } };
    expect(interpret({ ok: true, g: 1 }, mapped)).toMatchObject({ subgroups: ['Retiree'] });
    expect(interpret({ ok: true, g: 2 }, mapped)).toMatchObject({ outcome: 'unavailable' });
    expect(
      interpretAnswer({ ok: true }, { verifiedPath: 'ok', verifiedValues: [true] }, student, 'r1'),
    ).toMatchObject({
      outcome: 'unavailable',
      reason: "The registry's answer has no subgroup.",
    });
  });

  it('reads expiry dates, and treats a null expiry as none stated', () => {
    const withExpiry = { expiresAtPath: 'until' };
    expect(interpret({ ok: true, until: '2027-05-01' }, withExpiry)).toMatchObject({
      expiresAt: new Date('2027-05-01T00:00:00Z'),
    });
    expect(interpret({ ok: true, until: '2027-05-01T10:00:00+02:00' }, withExpiry)).toMatchObject({
      expiresAt: new Date('2027-05-01T08:00:00Z'),
    });
    expect(interpret({ ok: true, until: null }, withExpiry)).not.toHaveProperty('expiresAt');
    for (const until of ['2027-13-01', '01/05/2027', 1_800_000_000_000, '2027-05-01T10:00:00']) {
      expect(interpret({ ok: true, until }, withExpiry)).toMatchObject({ outcome: 'unavailable' });
    }
  });

  it('needs the mapped reference to verify, not to reject', () => {
    const withReference = { referencePath: 'id' };
    expect(interpret({ ok: true, id: 'X1' }, withReference)).toMatchObject({ reference: 'registry:r1:X1' });
    expect(interpret({ ok: true }, withReference)).toMatchObject({ outcome: 'unavailable' });
    expect(interpret({ ok: 'gone' }, withReference)).toMatchObject({
      outcome: 'rejected',
      reference: 'registry:r1',
    });
  });
});
