import { CsvError, parse } from 'csv-parse/sync';
import { normalizeEmail } from '../../accounts/user-input.ts';
import type { Community } from '../types.ts';
import type { RosterProblem } from './errors.ts';
import { communitySubgroup } from './source.ts';

/** One member of an uploaded roster, validated; names as written (the repository normalizes them). */
export interface RosterEntryInput {
  /** Lower-cased, or null when the row has only a member id */
  email: string | null;
  memberId: string | null;
  firstName: string;
  lastName: string;
  /** In the community's spelling */
  subgroup: string;
}

export interface ParsedRoster {
  entries: RosterEntryInput[];
  /** By line of the file; the import refuses a file with any. */
  problems: RosterProblem[];
}

export const MAX_ROSTER_ROWS = 100_000;
/** Reported problems stop there: a file with that many is the wrong file. */
const MAX_PROBLEMS = 1_000;
const MAX_FIELD = 320;

type Column = 'email' | 'memberId' | 'firstName' | 'lastName' | 'subgroup';

/** Header names, lower-cased with runs of spaces, `_`, `-` and `.` as one space. */
const headerNames: Record<string, Column> = {
  email: 'email',
  'e mail': 'email',
  'email address': 'email',
  'member id': 'memberId',
  memberid: 'memberId',
  id: 'memberId',
  'first name': 'firstName',
  firstname: 'firstName',
  'given name': 'firstName',
  'last name': 'lastName',
  lastname: 'lastName',
  surname: 'lastName',
  'family name': 'lastName',
  subgroup: 'subgroup',
};

/** Something, an `@`, and a domain with a dot: loose on purpose (the roster's owner knows its addresses). */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;

/**
 * Reads an administrator's roster: a header row naming the columns (any order, case-insensitive; unknown
 * columns are ignored), then one member per row with a first and last name, a subgroup of `community` and
 * an email or a member id. A BOM, CRLF line ends and blank lines are tolerated; at most MAX_ROSTER_ROWS rows.
 */
export function parseRosterCsv(text: string, community: Community): ParsedRoster {
  const rows: { line: number; cells: string[] }[] = [];
  try {
    parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 64 * 1024,
      // Header, the maximum, and one more to notice a file that is too long without reading all of it.
      to: MAX_ROSTER_ROWS + 2,
      on_record: (record: string[], context) => {
        // Rows of empty cells (`,,,`, as spreadsheets export) are blank lines too.
        if (record.some((cell) => cell !== '')) rows.push({ line: context.lines, cells: record });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : rows.length + 1;
    return { entries: [], problems: [{ line, message: `The file is not valid CSV: ${error.message}` }] };
  }

  const [header, ...data] = rows;
  if (header === undefined) {
    return {
      entries: [],
      problems: [{ line: 1, message: 'The file is empty: the first row names the columns.' }],
    };
  }
  const columns = readHeader(header.cells);
  if ('problem' in columns)
    return { entries: [], problems: [{ line: header.line, message: columns.problem }] };
  if (data.length === 0)
    return { entries: [], problems: [{ line: header.line, message: 'The file has no members.' }] };
  if (data.length > MAX_ROSTER_ROWS) {
    const message = `The file has more than ${MAX_ROSTER_ROWS.toLocaleString('en-US')} members; split it.`;
    return { entries: [], problems: [{ line: data[MAX_ROSTER_ROWS]?.line ?? header.line, message }] };
  }

  const entries: RosterEntryInput[] = [];
  const problems: RosterProblem[] = [];
  const seen = { email: new Map<string, number>(), memberId: new Map<string, number>() };
  for (const row of data) {
    const cell = (column: Column) => {
      const index = columns.indexes[column];
      return index === undefined ? '' : (row.cells[index] ?? '');
    };
    const result = readRow(cell, community, seen, row.line);
    if (typeof result === 'string') {
      problems.push({ line: row.line, message: result });
      if (problems.length >= MAX_PROBLEMS) break;
    } else entries.push(result);
  }
  return { entries, problems };
}

function readHeader(cells: string[]): { indexes: Partial<Record<Column, number>> } | { problem: string } {
  const indexes: Partial<Record<Column, number>> = {};
  for (const [index, cell] of cells.entries()) {
    const column =
      headerNames[
        cell
          .toLowerCase()
          .replace(/[\s_.-]+/gu, ' ')
          .trim()
      ];
    if (column === undefined) continue;
    if (indexes[column] !== undefined) return { problem: `Two columns mean the same thing: ${cell}.` };
    indexes[column] = index;
  }
  const missing = (['firstName', 'lastName', 'subgroup'] as const)
    .filter((column) => indexes[column] === undefined)
    .map((column) => ({ firstName: 'first_name', lastName: 'last_name', subgroup: 'subgroup' })[column]);
  if (indexes.email === undefined && indexes.memberId === undefined) missing.push('email or member_id');
  if (missing.length > 0) {
    return { problem: `The first row must name the columns; missing: ${missing.join(', ')}.` };
  }
  return { indexes };
}

function readRow(
  cell: (column: Column) => string,
  community: Community,
  seen: { email: Map<string, number>; memberId: Map<string, number> },
  line: number,
): RosterEntryInput | string {
  const firstName = cell('firstName');
  const lastName = cell('lastName');
  const rawEmail = cell('email');
  const memberId = cell('memberId');
  if (firstName === '' || lastName === '') return 'A first and a last name are required.';
  if ([firstName, lastName, rawEmail, memberId].some((value) => value.length > MAX_FIELD)) {
    return `A value is longer than ${MAX_FIELD} characters.`;
  }
  const subgroup = communitySubgroup(community, cell('subgroup'));
  if (subgroup === undefined) {
    const given = cell('subgroup');
    return given === ''
      ? `A subgroup is required (one of ${community.subgroups.join(', ')}).`
      : `${JSON.stringify(given)} is not a subgroup of ${community.name} (one of ${community.subgroups.join(', ')}).`;
  }
  if (rawEmail === '' && memberId === '') return 'An email or a member id is required.';
  const email = rawEmail === '' ? null : normalizeEmail(rawEmail);
  if (email !== null && !EMAIL.test(email)) return `${JSON.stringify(rawEmail)} is not an email address.`;
  if (email !== null) {
    const earlier = seen.email.get(email);
    if (earlier !== undefined) return `The email ${email} is already on line ${earlier}.`;
    seen.email.set(email, line);
  }
  if (memberId !== '') {
    const earlier = seen.memberId.get(memberId);
    if (earlier !== undefined) return `The member id ${memberId} is already on line ${earlier}.`;
    seen.memberId.set(memberId, line);
  }
  return { email, memberId: memberId === '' ? null : memberId, firstName, lastName, subgroup };
}
