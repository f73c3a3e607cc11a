import type { MailMessage } from '../mail/mailer.ts';

/** The mail carrying an email verification code. The code is in the subject too, for phones' previews. */
export function emailVerificationMessage(to: string, code: string, ttlMinutes: number): MailMessage {
  return {
    to,
    subject: `${code} is your Vetted verification code`,
    text: [
      `Your Vetted verification code is ${code}. It expires in ${ttlMinutes} minutes.`,
      '',
      'Enter it on the page where you created your account to confirm this email address.',
      'If you did not create a Vetted account, ignore this email: nothing happens without the code.',
      '',
      'Vetted will never ask you for this code by phone or email.',
      '',
    ].join('\n'),
  };
}

/**
 * The mail to an address that someone tried to sign up with although it has an account: instead of a code,
 * and with nothing the sender could use. Vetted has no password reset yet, so it does not promise one.
 */
export function existingAccountMessage(to: string, signInUrl: string): MailMessage {
  return {
    to,
    subject: 'Someone tried to create a Vetted account with your address',
    text: [
      'Someone just tried to create a new Vetted account with this email address. It already has an account,',
      'so no new account was created and nothing about your account has changed.',
      '',
      `If it was you, sign in to your existing account instead: ${signInUrl}`,
      'If you no longer know your password, contact the people who run this Vetted service: it has no',
      'password reset by email yet.',
      '',
      'If it was not you, you can ignore this email.',
      '',
    ].join('\n'),
  };
}
