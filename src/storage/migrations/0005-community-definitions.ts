/**
 * What migration 0005 adds to each seeded community: the methods that prove membership, the documents a
 * reviewer accepts, community-specific attributes, and validity per subgroup. Frozen with the migration:
 * later changes are data edits by administrators or new migrations, never edits of this file.
 */
export interface CommunityDefinition {
  methods: string[];
  documentTypes: { handle: string; name: string; back: boolean }[];
  attributes: { handle: string; name: string; type: 'string' | 'date' | 'integer' | 'boolean' }[];
  /** Validity in days by subgroup where it differs from the community's; null never expires. */
  subgroupValidityDays: Record<string, number | null>;
}

const documentMethods = ['email_domain', 'document', 'roster', 'registry'];

const doc = (handle: string, name: string, back = false) => ({ handle, name, back });
const employmentLetter = doc('employment_letter', 'Letter from your employer on letterhead');
const payStub = doc('pay_stub', 'Recent pay stub');
const licence = (name: string) => doc('licence', name, true);

const military: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [
    doc('dd214', 'DD-214 (certificate of release or discharge)'),
    doc('military_id', 'Military ID card (CAC)', true),
    doc('va_card', 'VA health identification card', true),
    doc('dependent_id', 'Dependent ID card', true),
  ],
  attributes: [
    { handle: 'military_branch', name: 'Military Branch', type: 'string' },
    { handle: 'military_service_started', name: 'Military Service Started', type: 'date' },
    { handle: 'military_service_ended', name: 'Military Service Ended', type: 'date' },
  ],
  // Having served does not lapse; serving, and being family of someone serving, is checked yearly.
  subgroupValidityDays: { Veteran: null, Retiree: null },
};

const responder: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [
    doc('badge', 'Badge or department ID card', true),
    licence('EMT or paramedic licence'),
    employmentLetter,
  ],
  attributes: [{ handle: 'responder_agency', name: 'Responder Agency', type: 'string' }],
  subgroupValidityDays: {},
};

const student: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [
    doc('student_id', 'Student ID card', true),
    doc('enrolment_letter', 'Enrolment letter or class schedule for this term'),
  ],
  attributes: [{ handle: 'student_school_name', name: 'Student School Name', type: 'string' }],
  subgroupValidityDays: {},
};

const teacher: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [doc('staff_id', 'School staff ID card', true), employmentLetter, payStub],
  attributes: [{ handle: 'teacher_school_name', name: 'Teacher School Name', type: 'string' }],
  subgroupValidityDays: {},
};

const government: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [doc('government_id', 'Government employee ID card', true), employmentLetter, payStub],
  attributes: [{ handle: 'government_agency', name: 'Government Agency', type: 'string' }],
  subgroupValidityDays: {},
};

const clinical = (licenceName: string): CommunityDefinition => ({
  methods: documentMethods,
  documentTypes: [
    licence(licenceName),
    doc('staff_id', 'Hospital or practice staff ID card', true),
    employmentLetter,
  ],
  attributes: [{ handle: 'licence_state', name: 'Licence State or Province', type: 'string' }],
  subgroupValidityDays: {},
});

const alumni: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [doc('diploma', 'Diploma'), doc('transcript', 'Official transcript')],
  attributes: [
    { handle: 'alumni_award_date', name: 'Alumni Award Date', type: 'date' },
    { handle: 'alumni_degree_status', name: 'Alumni Degree Status', type: 'string' },
    { handle: 'alumni_graduated', name: 'Alumni Graduated', type: 'boolean' },
    { handle: 'alumni_school_type', name: 'Alumni School Type', type: 'string' },
    { handle: 'alumni_school_name', name: 'Alumni School Name', type: 'string' },
    { handle: 'alumni_graduation_date', name: 'Alumni Graduation Date', type: 'date' },
  ],
  subgroupValidityDays: {},
};

const employee: CommunityDefinition = {
  methods: documentMethods,
  documentTypes: [doc('employee_id', 'Employee ID card', true), employmentLetter, payStub],
  attributes: [{ handle: 'employer_name', name: 'Employer Name', type: 'string' }],
  subgroupValidityDays: {},
};

export const communityDefinitions: Record<string, CommunityDefinition> = {
  military,
  military_canada: { ...military, subgroupValidityDays: { Veteran: null } },
  responder,
  first_responder: responder,
  responder_canada: responder,
  student,
  student_canada: student,
  teacher,
  teacher_canada: teacher,
  government,
  nurse: clinical('Nursing licence'),
  nurse_canada: clinical('Nursing licence'),
  medical: clinical('Professional licence'),
  doctor: clinical('Medical licence'),
  doctor_canada: clinical('Medical licence'),
  alumni,
  employee,
};

/** Email-domain rules seeded with 0005: pattern → community and subgroup. */
export const seedEmailDomainRules = [
  { pattern: '*.mil', community: 'military', subgroup: 'Service Member' },
  { pattern: '*.edu', community: 'student', subgroup: 'University Student' },
  { pattern: '*.gov', community: 'government', subgroup: 'Federal' },
  { pattern: '*.k12.*.us', community: 'teacher', subgroup: 'Teacher' },
  { pattern: '*.forces.gc.ca', community: 'military_canada', subgroup: 'Service Member' },
];
