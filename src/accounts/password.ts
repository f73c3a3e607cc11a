import { hash, parseOptions, verify } from '@node-rs/argon2';

export interface Argon2Parameters {
  /** KiB */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's first recommendation for Argon2id: 19 MiB, 2 passes, 1 lane. */
export const owaspArgon2id: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Length in characters (code points), as a person counts them. */
export function passwordLength(password: string): number {
  let length = 0;
  for (const _codePoint of password) length++;
  return length;
}

export interface PasswordHasher {
  /** An Argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `stored`; false (never a throw) for a malformed hash. */
  verify(stored: string, password: string): Promise<boolean>;
  /** Spends the time of a verification and returns false: for unknown accounts, so timing reveals nothing. */
  verifyNothing(password: string): Promise<false>;
  /** Whether `stored` was made with weaker parameters than the current ones. */
  needsRehash(stored: string): boolean;
}

// Argon2id is @node-rs/argon2's default algorithm; the PHC prefix is how stored hashes say which they use.
const ARGON2ID_PREFIX = '$argon2id$v=19$';

/**
 * Passwords are normalized (NFKC, as NIST SP 800-63B suggests) so the same password typed on another
 * keyboard or OS still matches.
 */
export function createPasswordHasher(parameters: Argon2Parameters = owaspArgon2id): PasswordHasher {
  const normalize = (password: string) => password.normalize('NFKC');
  let dummy: Promise<string> | undefined;

  async function check(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, normalize(password));
    } catch {
      return false;
    }
  }

  return {
    hash: (password) => hash(normalize(password), parameters),
    verify: check,
    async verifyNothing(password) {
      dummy ??= hash('not a password: equalizes timing for unknown accounts', parameters);
      await check(await dummy, password);
      return false;
    },
    needsRehash(stored) {
      if (!stored.startsWith(ARGON2ID_PREFIX)) return true;
      try {
        const used = parseOptions(stored);
        return (
          used.memoryCost < parameters.memoryCost ||
          used.timeCost < parameters.timeCost ||
          used.parallelism < parameters.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}
