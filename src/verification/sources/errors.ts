import { AppError } from '../../lib/app-error.ts';

/** A problem of an uploaded roster, by line of the file (the header is line 1). */
export interface RosterProblem {
  line: number;
  message: string;
}

/** How many problems a roster error's message lists; `detail` has them all. */
const PROBLEMS_IN_MESSAGE = 3;

export const sourceErrors = {
  rosterInvalid: (problems: RosterProblem[]) => {
    const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => `line ${p.line}: ${p.message}`);
    const more = problems.length - shown.length;
    return new AppError({
      code: 'verification.roster_invalid',
      status: 400,
      message:
        `The roster was not imported (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}): ` +
        shown.join('; ') +
        (more > 0 ? `; and ${more} more.` : '.'),
      detail: { problems },
    });
  },
  registryInvalid: (message: string) =>
    new AppError({ code: 'verification.registry_invalid', status: 400, message }),
};
