import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';

/**
 * Sends through an SMTP server given as `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://…:465`. Timeouts are short because a sign-up request waits for its verification mail.
 */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
      });
    },
  };
}
