import type { Kysely } from 'kysely';

/** The communities Vetted starts with; administrators edit them afterwards (they are data, not code). */
export const seedCommunities: {
  handle: string;
  name: string;
  subgroups: string[];
  validityDays: number | null;
}[] = [
  {
    handle: 'military',
    name: 'Military',
    subgroups: ['Service Member', 'Veteran', 'Retiree', 'Military Spouse', 'Military Family'],
    validityDays: 365,
  },
  {
    handle: 'responder',
    name: 'First Responder',
    subgroups: ['Police', 'Firefighter', 'EMT', '911 Dispatcher'],
    validityDays: 365,
  },
  {
    handle: 'first_responder',
    name: 'First Responder',
    subgroups: ['Police', 'Firefighter', 'EMT', '911 Dispatcher'],
    validityDays: 365,
  },
  {
    handle: 'student',
    name: 'Student',
    subgroups: ['University Student', 'High School Student'],
    validityDays: 365,
  },
  { handle: 'teacher', name: 'Teacher', subgroups: ['Teacher', 'Professor', 'Staff'], validityDays: 365 },
  {
    handle: 'government',
    name: 'Government Employee',
    subgroups: ['Federal', 'State', 'Local'],
    validityDays: 365,
  },
  { handle: 'nurse', name: 'Nurse', subgroups: ['Nurse'], validityDays: 365 },
  {
    handle: 'medical',
    name: 'Medical Professional',
    subgroups: ['Doctor', 'Nurse', 'Pharmacist', 'Other'],
    validityDays: 365,
  },
  { handle: 'doctor', name: 'Doctor', subgroups: ['Doctor'], validityDays: 365 },
  { handle: 'alumni', name: 'Alumni', subgroups: ['Alumni'], validityDays: null },
  { handle: 'employee', name: 'Employee', subgroups: ['Employee'], validityDays: 365 },
  {
    handle: 'military_canada',
    name: 'Military - Canada',
    subgroups: ['Service Member', 'Veteran'],
    validityDays: 365,
  },
  {
    handle: 'responder_canada',
    name: 'First Responder - Canada',
    subgroups: ['Police', 'Firefighter', 'Paramedic'],
    validityDays: 365,
  },
  {
    handle: 'student_canada',
    name: 'Student - Canada',
    subgroups: ['University Student'],
    validityDays: 365,
  },
  {
    handle: 'teacher_canada',
    name: 'Teacher - Canada',
    subgroups: ['Teacher', 'Professor'],
    validityDays: 365,
  },
  { handle: 'nurse_canada', name: 'Nurse - Canada', subgroups: ['Nurse'], validityDays: 365 },
  { handle: 'doctor_canada', name: 'Doctor - Canada', subgroups: ['Doctor'], validityDays: 365 },
];

export const verifications = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('communities')
      .addColumn('handle', 'text', (col) => col.primaryKey().notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('subgroups', 'text', (col) => col.notNull())
      .addColumn('validity_days', 'integer')
      .addColumn('position', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('verifications')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('community', 'text', (col) => col.notNull().references('communities.handle'))
      .addColumn('subgroups', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('method', 'text', (col) => col.notNull())
      .addColumn('attributes', 'text', (col) => col.notNull())
      .addColumn('verified_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('verifications_user_community')
      .on('verifications')
      .columns(['user_id', 'community'])
      .execute();

    const now = Date.now();
    await db
      .insertInto('communities' as never)
      .values(
        seedCommunities.map((community, position) => ({
          handle: community.handle,
          name: community.name,
          subgroups: JSON.stringify(community.subgroups),
          validity_days: community.validityDays,
          position,
          created_at: now,
        })),
      )
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('verifications').execute();
    await db.schema.dropTable('communities').execute();
  },
};
