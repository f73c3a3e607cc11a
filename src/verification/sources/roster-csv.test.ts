import { describe, expect, it } from 'vitest';
import { military, responder } from './fixtures.test-support.ts';
import { MAX_ROSTER_ROWS, parseRosterCsv } from './roster-csv.ts';

describe('parseRosterCsv', () => {
  it('reads members with tolerant headers, a BOM, CRLF and blank lines', () => {
    const csv =
      '\uFEFFFirst Name,LAST_NAME,E-mail,Member ID,Subgroup,Unit\r\n' +
      'Sam,Smith,Sam.Smith@Example.COM,,veteran,3rd\r\n' +
      '\r\n,,,,,\r\n' +
      '"Ana María","de la Cruz",,A-17,Service Member,\r\n';
    expect(parseRosterCsv(csv, military)).toEqual({
      entries: [
        {
          firstName: 'Sam',
          lastName: 'Smith',
          email: 'sam.smith@example.com',
          memberId: null,
          subgroup: 'Veteran',
        },
        {
          firstName: 'Ana María',
          lastName: 'de la Cruz',
          email: null,
          memberId: 'A-17',
          subgroup: 'Service Member',
        },
      ],
      problems: [],
    });
  });

  it('accepts first_name/last_name/id/email in any order, and quoted fields with commas', () => {
    const csv = 'subgroup,id,last_name,first_name\nEMT,"77,B",Lee,Kim\n';
    expect(parseRosterCsv(csv, responder).entries).toEqual([
      { firstName: 'Kim', lastName: 'Lee', email: null, memberId: '77,B', subgroup: 'EMT' },
    ]);
  });

  it('reports every bad row by line number', () => {
    const csv = [
      'email,first_name,last_name,subgroup',
      'a@example.com,Ann,Lee,Veteran',
      'not-an-email,Bo,Ng,Veteran',
      ',Cy,Ho,Veteran',
      'd@example.com,,Ho,Veteran',
      'e@example.com,Di,Ho,Astronaut',
      'A@example.com,Ed,Ho,Retiree',
      'f@example.com,Fa,Ho,',
    ].join('\n');
    const { problems } = parseRosterCsv(csv, military);
    expect(problems).toEqual([
      { line: 3, message: '"not-an-email" is not an email address.' },
      { line: 4, message: 'An email or a member id is required.' },
      { line: 5, message: 'A first and a last name are required.' },
      { line: 6, message: expect.stringContaining('"Astronaut" is not a subgroup of Military') },
      { line: 7, message: 'The email a@example.com is already on line 2.' },
      { line: 8, message: expect.stringContaining('A subgroup is required') },
    ]);
  });

  it('refuses a file without a usable header', () => {
    expect(parseRosterCsv('', military).problems).toEqual([
      { line: 1, message: 'The file is empty: the first row names the columns.' },
    ]);
    expect(parseRosterCsv('name,mail\nSam,s@example.com\n', military).problems).toEqual([
      {
        line: 1,
        message:
          'The first row must name the columns; missing: first_name, last_name, subgroup, email or member_id.',
      },
    ]);
    expect(parseRosterCsv('email,first name,first_name,last name,subgroup\n', military).problems).toEqual([
      { line: 1, message: 'Two columns mean the same thing: first_name.' },
    ]);
    expect(parseRosterCsv('email,first name,last name,subgroup\n', military).problems).toEqual([
      { line: 1, message: 'The file has no members.' },
    ]);
  });

  it('reports broken CSV with its line', () => {
    const { entries, problems } = parseRosterCsv(
      'email,first_name,last_name,subgroup\n"a@example.com,A,B,Veteran\n',
      military,
    );
    expect(entries).toEqual([]);
    expect(problems).toEqual([{ line: 2, message: expect.stringContaining('The file is not valid CSV') }]);
  });

  it(`accepts ${MAX_ROSTER_ROWS} members and refuses one more`, () => {
    const header = 'member_id,first_name,last_name,subgroup\n';
    const rows = Array.from({ length: MAX_ROSTER_ROWS }, (_, index) => `m${index},A,B,Veteran\n`).join('');
    const full = parseRosterCsv(header + rows, military);
    expect(full.problems).toEqual([]);
    expect(full.entries).toHaveLength(MAX_ROSTER_ROWS);
    const over = parseRosterCsv(`${header}${rows}extra,A,B,Veteran\nmore,A,B,Veteran\n`, military);
    expect(over).toEqual({
      entries: [],
      problems: [{ line: MAX_ROSTER_ROWS + 2, message: 'The file has more than 100,000 members; split it.' }],
    });
  });
});
