// The consent page and the payloads are derived from one decision (release.ts); these tests hold them together.
import { describe, expect, it } from 'vitest';
import { alumni, input, military, sean } from './fixtures.test-support.ts';
import { attributeCatalogue, findAttribute, isConfigurableAttribute } from './catalogue.ts';
import { buildV2, buildV3, fieldsForConsent } from './payloads.ts';
import { decideRelease, type ReleaseInput } from './release.ts';

describe('consent fields', () => {
  it('names exactly what the v3 payload releases', () => {
    expect(fieldsForConsent(input())).toEqual([
      'First name',
      'Last name',
      'Email',
      'Unique identifier',
      'ZIP code',
      'Military status: Service Member',
    ]);
    expect(
      fieldsForConsent(
        input({
          scopes: ['military', 'alumni'],
          communities: [military, alumni],
          eid: 'FOO',
          releasedAttributes: ['age', 'alumni_school_name', 'military_service_started'],
          user: { ...sean, postalCode: null },
        }),
      ),
    ).toEqual([
      'First name',
      'Last name',
      'Email',
      'Unique identifier',
      'External identifier',
      'Age',
      'Alumni School Name',
      'Military Service Started',
      'Military status: Service Member',
      'Alumni status: Alumni',
    ]);
  });

  it('matches the released handles for every combination of options', () => {
    const options: Partial<ReleaseInput>[] = [];
    for (const eid of [undefined, 'E-1'])
      for (const postalCode of [null, '22102'])
        for (const released of [[], ['age'], attributeCatalogue.map((definition) => definition.handle)])
          for (const scopes of [['military'], ['alumni', 'openid'], ['military', 'alumni'], ['email']])
            options.push({
              eid,
              user: { ...sean, postalCode },
              releasedAttributes: released,
              scopes,
              communities: [military, alumni],
            });
    for (const option of options) {
      const v3 = buildV3(input(option));
      const labels = fieldsForConsent(input(option));
      const expected = [
        ...v3.attributes.map((attribute) => findAttribute(attribute.handle)?.consentLabel),
        ...v3.status.map(
          (entry) =>
            `${entry.group === 'military' ? 'Military' : 'Alumni'} status` +
            (entry.verified ? `: ${entry.subgroups.join(', ')}` : ': not verified'),
        ),
      ];
      expect(labels).toEqual(expected);
      expect(decideRelease(input(option)).attributes.map((entry) => entry.definition.handle)).toEqual(
        v3.attributes.map((attribute) => attribute.handle),
      );
      // v2 never carries a field the consent page did not name.
      const v2 = buildV2(input(option));
      if ('zip' in v2) expect(labels).toContain('ZIP code');
      if (v2.group !== null) {
        const community = `${v2.group === 'military' ? 'Military' : 'Alumni'} status`;
        expect(labels).toContain(`${community}: ${v2.affiliation ?? 'not verified'}`);
      }
    }
  });
});

describe('catalogue', () => {
  it('has unique handles, ID.me names for the defaults, and configurable optional attributes', () => {
    const handles = attributeCatalogue.map((definition) => definition.handle);
    expect(new Set(handles).size).toBe(handles.length);
    expect(findAttribute('zip')?.name).toBe('Zip Code');
    expect(findAttribute('alumni_award_date')).toMatchObject({
      name: 'Alumni Award Date',
      community: 'alumni',
    });
    expect(isConfigurableAttribute('age')).toBe(true);
    expect(isConfigurableAttribute('military_branch')).toBe(true);
    expect(isConfigurableAttribute('fname')).toBe(false);
    expect(isConfigurableAttribute('eid')).toBe(false);
    expect(isConfigurableAttribute('nope')).toBe(false);
  });
});
