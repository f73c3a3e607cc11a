import type { MailMessage } from '../mail/mailer.ts';
import { reasonLabel } from './review-reasons.ts';
import type { Community, Verification } from './types.ts';

/** The mail that tells a user how the review of their document was decided. */
export function reviewDecisionMessage(input: {
  to: string;
  firstName: string;
  community: Community;
  verification: Verification;
  accountUrl: string;
}): MailMessage | undefined {
  const { verification, community } = input;
  const status = `${community.name.toLowerCase()} status`;
  const reason = reasonLabel(verification.reasonCode);
  const note =
    verification.note === null || verification.note === ''
      ? []
      : ['', `Our reviewer wrote: ${verification.note}`];
  const footer = ['', `Your verifications: ${input.accountUrl}`, ''];
  switch (verification.status) {
    case 'verified':
      return {
        to: input.to,
        subject: `Your ${status} is verified`,
        text: [
          `Hello ${input.firstName},`,
          '',
          `We checked your document: your ${status} (${verification.subgroups.join(', ')}) is verified.`,
          'Sites you have shared it with see it the next time they ask Vetted.',
          ...footer,
        ].join('\n'),
      };
    case 'rejected':
      return {
        to: input.to,
        subject: `We could not verify your ${status}`,
        text: [
          `Hello ${input.firstName},`,
          '',
          `We checked your document and could not verify your ${status}${reason === undefined ? '.' : `: ${reason.toLowerCase()}.`}`,
          ...note,
          '',
          'You can try again with another document or another way the next time a site asks.',
          ...footer,
        ].join('\n'),
      };
    case 'needs_resubmission':
      return {
        to: input.to,
        subject: `Please send another document for your ${status}`,
        text: [
          `Hello ${input.firstName},`,
          '',
          `We need another try to verify your ${status}${reason === undefined ? '.' : `: ${reason.toLowerCase()}.`}`,
          ...note,
          '',
          'Upload a new document the next time a site asks you to verify.',
          ...footer,
        ].join('\n'),
      };
    default:
      return undefined;
  }
}
