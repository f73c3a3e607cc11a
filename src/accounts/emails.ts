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
