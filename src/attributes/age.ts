const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Age in whole years at `now`, counted on the UTC calendar date of `now`; undefined when the birth date is
 * not a real `YYYY-MM-DD` date or lies after `now`. Someone born on 29 February is a year older from 1 March
 * in years without a 29 February (the birthday has not passed on 28 February).
 */
export function ageAt(birthDate: string, now: Date): number | undefined {
  const match = BIRTH_DATE.exec(birthDate);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return undefined;
  }
  const [nowYear, nowMonth, nowDay] = [now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()];
  const birthdayPassed = nowMonth > month || (nowMonth === month && nowDay >= day);
  const age = nowYear - year - (birthdayPassed ? 0 : 1);
  return age >= 0 ? age : undefined;
}
