import { describe, expect, it } from 'vitest';
import type { CommunityStanding } from '../verification/types.ts';
import { alumni, input, military, sean, standing } from './fixtures.test-support.ts';
import type { ReleaseInput } from './release.ts';
import { buildV2, buildV3 } from './payloads.ts';

describe('v3 payload', () => {
  it("is ID.me's example, literally, for a verified service member with an eid", () => {
    expect(buildV3(input({ scopes: ['openid', 'military'], eid: 'FOO-bar-123' }))).toStrictEqual({
      attributes: [
        { handle: 'fname', name: 'First Name', value: 'Sean' },
        { handle: 'lname', name: 'Last Name', value: 'Moen' },
        { handle: 'email', name: 'Email', value: 'sean.moen@id.me' },
        { handle: 'uuid', name: 'Unique Identifier', value: 'd733a89e2e634f04ac2fe66c97f71612' },
        { handle: 'zip', name: 'Zip Code', value: '44058-1478' },
        { handle: 'eid', name: 'External Identifier', value: 'FOO-bar-123' },
      ],
      status: [{ group: 'military', subgroups: ['Service Member'], verified: true }],
    });
  });

  it('has no eid when the authorization carried none (or an empty one), and no zip when unknown', () => {
    for (const eid of [undefined, null, '']) {
      const handles = buildV3(input({ eid })).attributes.map((attribute) => attribute.handle);
      expect(handles).toEqual(['fname', 'lname', 'email', 'uuid', 'zip']);
    }
    const noZip = buildV3(input({ user: { ...sean, postalCode: null } }));
    expect(noZip.attributes.map((attribute) => attribute.handle)).toEqual([
      'fname',
      'lname',
      'email',
      'uuid',
    ]);
  });

  it('releases age as an integer, only when configured and the birth date is known', () => {
    const age = (overrides: Partial<ReleaseInput>) =>
      buildV3(input(overrides)).attributes.find((attribute) => attribute.handle === 'age');
    expect(age({})).toBeUndefined();
    expect(age({ releasedAttributes: ['age'] })).toStrictEqual({ handle: 'age', name: 'Age', value: 35 });
    expect(age({ releasedAttributes: ['age'], now: new Date('2026-06-16T00:00:00Z') })?.value).toBe(36);
    expect(age({ releasedAttributes: ['age'], user: { ...sean, birthDate: null } })).toBeUndefined();
    expect(age({ releasedAttributes: ['age'], user: { ...sean, birthDate: '2000-02-29' } })?.value).toBe(26);
    expect(
      age({
        releasedAttributes: ['age'],
        user: { ...sean, birthDate: '2000-02-29' },
        now: new Date('2027-02-28'),
      })?.value,
    ).toBe(26);
    expect(
      age({
        releasedAttributes: ['age'],
        user: { ...sean, birthDate: '2000-02-29' },
        now: new Date('2027-03-01'),
      })?.value,
    ).toBe(27);
  });

  it('releases community attributes only when configured, granted and carried by a current verification', () => {
    const configured = [
      'alumni_school_name',
      'alumni_graduated',
      'alumni_graduation_date',
      'military_branch',
    ];
    const payload = buildV3(
      input({
        scopes: ['alumni', 'military'],
        communities: [military, alumni],
        releasedAttributes: configured,
      }),
    );
    // In scope order, each community's attributes in the order it defines them.
    expect(payload.attributes.slice(5)).toStrictEqual([
      { handle: 'alumni_graduated', name: 'Alumni Graduated', value: true },
      { handle: 'alumni_school_name', name: 'Alumni School Name', value: 'State University' },
      { handle: 'alumni_graduation_date', name: 'Alumni Graduation Date', value: '2012-05-20' },
      { handle: 'military_branch', name: 'Military Branch', value: 'Army' },
    ]);
    expect(payload.status).toStrictEqual([
      { group: 'alumni', subgroups: ['Alumni'], verified: true },
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);

    // Not granted: the alumni standing is ignored even though it was passed in.
    const onlyMilitary = buildV3(
      input({ scopes: ['military'], communities: [military, alumni], releasedAttributes: configured }),
    );
    expect(onlyMilitary.attributes.map((attribute) => attribute.handle).slice(5)).toEqual([
      'military_branch',
    ]);
    expect(onlyMilitary.status.map((entry) => entry.group)).toEqual(['military']);

    // Not configured: the school type and the service start are carried but not released.
    expect(payload.attributes.map((attribute) => attribute.handle)).not.toContain('alumni_school_type');
    expect(payload.attributes.map((attribute) => attribute.handle)).not.toContain('military_service_started');

    // Configured but mistyped in the verification (a number for a date): not released.
    const award = buildV3(
      input({ scopes: ['alumni'], communities: [alumni], releasedAttributes: ['alumni_award_date'] }),
    );
    expect(award.attributes.map((attribute) => attribute.handle)).not.toContain('alumni_award_date');
  });

  it('reports an expired or missing verification as verified false, without its attributes', () => {
    const expired: CommunityStanding = {
      group: 'military',
      name: 'Military',
      subgroups: [],
      verified: false,
      attributeDefinitions: military.attributeDefinitions,
      attributes: {},
    };
    const payload = buildV3(input({ communities: [expired], releasedAttributes: ['military_branch'] }));
    expect(payload.status).toStrictEqual([{ group: 'military', subgroups: [], verified: false }]);
    expect(payload.attributes.map((attribute) => attribute.handle)).toEqual([
      'fname',
      'lname',
      'email',
      'uuid',
      'zip',
    ]);
    // A standing that claims attributes while unverified still releases none.
    const inconsistent = { ...military, verified: false, subgroups: [] };
    expect(
      buildV3(input({ communities: [inconsistent], releasedAttributes: ['military_branch'] })).attributes,
    ).toHaveLength(5);
  });

  it('keeps typed values typed: numbers, booleans, arrays and objects', () => {
    const value = (handle: string) =>
      buildV3(
        input({ scopes: ['alumni'], communities: [alumni], releasedAttributes: [handle, 'age'] }),
      ).attributes.find((attribute) => attribute.handle === handle)?.value;
    expect(value('age')).toBeTypeOf('number');
    expect(value('alumni_graduated')).toBe(true);
    const json = JSON.stringify(buildV3(input({ releasedAttributes: ['age'] })));
    expect(json).toContain('"value":35');
  });

  it('has one status entry per community scope, in scope order, ignoring OpenID scopes and duplicates', () => {
    const teacher = standing('teacher', 'Teacher', []);
    const payload = buildV3(
      input({
        scopes: ['openid', 'teacher', 'profile', 'military', 'teacher', 'email'],
        communities: [military, teacher],
      }),
    );
    expect(payload.status).toStrictEqual([
      { group: 'teacher', subgroups: [], verified: false },
      { group: 'military', subgroups: ['Service Member'], verified: true },
    ]);
    expect(buildV3(input({ scopes: ['openid'], communities: [] })).status).toEqual([]);
  });
});

describe('v2 payload', () => {
  it("is the legacy flat form of ID.me's example", () => {
    const user = {
      ...sean,
      id: '3ec867e9461580fb10779',
      email: 'IDme_test_user@example.com',
      firstName: 'Test',
      lastName: 'User',
      postalCode: '22102',
    };
    const payload = buildV2(
      input({
        user,
        scopes: ['military', 'alumni'],
        communities: [alumni, military],
        eid: 'x',
        releasedAttributes: ['age'],
      }),
    );
    expect(payload).toStrictEqual({
      id: '3ec867e9461580fb10779',
      uuid: '3ec867e9461580fb10779',
      verified: true,
      affiliation: 'Service Member',
      group: 'military',
      email: 'IDme_test_user@example.com',
      fname: 'Test',
      lname: 'User',
      zip: '22102',
    });
    expect(Object.keys(payload)).toEqual([
      'id',
      'uuid',
      'verified',
      'affiliation',
      'group',
      'email',
      'fname',
      'lname',
      'zip',
    ]);
  });

  it('says unverified with a null affiliation, and omits an unknown zip', () => {
    const unverified = standing('military', 'Military', []);
    expect(buildV2(input({ communities: [unverified], user: { ...sean, postalCode: null } }))).toStrictEqual({
      id: sean.id,
      uuid: sean.id,
      verified: false,
      affiliation: null,
      group: 'military',
      email: sean.email,
      fname: 'Sean',
      lname: 'Moen',
    });
    expect(buildV2(input({ scopes: ['openid'], communities: [] }))).toMatchObject({
      verified: false,
      affiliation: null,
      group: null,
    });
  });
});
