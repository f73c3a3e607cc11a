import { InvalidArgumentError } from 'commander';
import { AppError } from '../lib/app-error.ts';
import type { Services } from '../services.ts';
import { verificationErrors } from '../verification/errors.ts';
import type { Community } from '../verification/types.ts';

/** Input the command understood but refuses: exit code 1 with `vetted: <message>` (see exitCodeFor in cli.ts). */
export function refused(message: string): AppError {
  return new AppError({ code: 'cli.refused', status: 400, message });
}

/** Collects a repeatable option's values. */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A comma-separated list (repeatable too), blanks dropped. */
export const commaList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
];

/**
 * A parser for a whole number (from `min` to `max` when given): anything else is a usage error (exit code
 * 2). Limits that the domain checks are better left to it, so the message is the domain's.
 */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? 'use a whole number' : `use a whole number from ${min} to ${max}`,
      );
    }
    return number;
  };
}

/** The community with this handle, or `verification.unknown_community` (exit code 1). */
export async function requireCommunity(services: Services, handle: string): Promise<Community> {
  const community = await services.communities.find(handle);
  if (community === undefined) throw verificationErrors.unknownCommunity(handle);
  return community;
}
