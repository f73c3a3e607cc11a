// Communities shared by the source tests, shaped like the seeded ones (migrations 0004 and 0005).
import type { Community } from '../types.ts';

function community(handle: string, name: string, subgroups: string[]): Community {
  return {
    handle,
    name,
    subgroups,
    validityDays: 365,
    subgroupValidityDays: {},
    methods: ['email_domain', 'document', 'roster', 'registry'],
    documentTypes: [],
    attributeDefinitions: [],
  };
}

export const military = community('military', 'Military', [
  'Service Member',
  'Veteran',
  'Retiree',
  'Military Spouse',
  'Military Family',
]);
export const responder = community('first_responder', 'First Responder', [
  'Police',
  'Firefighter',
  'EMT',
  '911 Dispatcher',
]);
export const student = community('student', 'Student', ['University Student', 'High School Student']);

export const person = {
  userId: '0123456789abcdef0123456789abcdef',
  email: 'sam.smith@example.com',
  emailVerified: true,
  firstName: 'Sam',
  lastName: 'Smith',
  testPersona: null,
};
