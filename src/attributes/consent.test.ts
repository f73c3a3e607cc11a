// The consent page and the payloads are derived from one decision (release.ts); these tests hold them together.
import { describe, expect, it } from 'vitest';
import { alumni, input, military, sean } from './fixtures.test-support.ts';
import {
  attributeCatalogue,
  communityAttribute,
  findAttribute,
  isConfigurableAttribute,
} from './catalogue.ts';
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
      // Each community's own attributes follow, in scope order.
      'Military Service Started',
      'Alumni School Name',
      'Military status: Service Member',
      'Alumni status: Alumni',
    ]);
  });

  it('matches the released handles for every combination of options', () => {
    const everyHandle = [
      ...attributeCatalogue.map((definition) => definition.handle),
      ...[military, alumni].flatMap((community) => community.attributeDefinitions.map((d) => d.handle)),
    ];
    const labelOf = (handle: string) =>
      findAttribute(handle)?.consentLabel ??
      [military, alumni]
        .flatMap((community) =>
          community.attributeDefinitions.map((d) => communityAttribute(community.group, d)),
        )
        .find((definition) => definition.handle === handle)?.consentLabel;
    const options: Partial<ReleaseInput>[] = [];
    for (const eid of [undefined, 'E-1'])
      for (const postalCode of [null, '22102'])
        for (const released of [[], ['age'], everyHandle])
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
        ...v3.attributes.map((attribute) => labelOf(attribute.handle)),
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
    // Community attributes are the communities' own (data), not the shared catalogue's.
    expect(findAttribute('alumni_award_date')).toBeUndefined();
    expect(alumni.attributeDefinitions).toContainEqual({
      handle: 'alumni_award_date',
      name: 'Alumni Award Date',
      type: 'date',
    });
    const communities = [military, alumni];
    expect(isConfigurableAttribute('age', communities)).toBe(true);
    expect(isConfigurableAttribute('military_branch', communities)).toBe(true);
    expect(isConfigurableAttribute('alumni_graduated', [military])).toBe(false);
    expect(isConfigurableAttribute('fname', communities)).toBe(false);
    expect(isConfigurableAttribute('eid', communities)).toBe(false);
    expect(isConfigurableAttribute('nope', communities)).toBe(false);
  });
});
