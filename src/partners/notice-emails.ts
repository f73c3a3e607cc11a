import type { MailMessage } from '../mail/mailer.ts';
import type { NoticeKind } from './notice-repository.ts';

/** A decision as the partner is told it: in the console notice and in the email. */
export interface NoticeText {
  kind: NoticeKind;
  title: string;
  body: string;
  note: string | null;
}

const names = (handles: readonly string[]) => handles.join(', ');

/** Communities enabled and refused for an application by an administrator. */
export function communitiesDecidedText(
  appName: string,
  decided: { enabled: readonly string[]; refused: readonly string[] },
): NoticeText {
  const parts = [
    decided.enabled.length === 0
      ? undefined
      : `${appName} may now ask users to verify ${names(decided.enabled)}: add the scope to its authorization requests.`,
    decided.refused.length === 0
      ? undefined
      : `An administrator did not enable ${names(decided.refused)} for ${appName}; you may request it again from the settings page, or write to the administrators to ask why.`,
  ].filter((part): part is string => part !== undefined);
  return {
    kind: 'communities.decided',
    title:
      decided.refused.length === 0
        ? `Communities enabled for ${appName}`
        : decided.enabled.length === 0
          ? `Communities not enabled for ${appName}`
          : `Communities decided for ${appName}`,
    body: parts.join(' '),
    note: null,
  };
}

export function productionDecidedText(
  appName: string,
  decision: 'approved' | 'declined',
  note: string | null,
): NoticeText {
  return decision === 'approved'
    ? {
        kind: 'production.approved',
        title: `${appName} is in production`,
        body: `An administrator approved the production request of ${appName}: every Vetted user can now sign in to it.`,
        note,
      }
    : {
        kind: 'production.declined',
        title: `Production request for ${appName} declined`,
        body: `An administrator declined the production request of ${appName}; it stays in sandbox. Fix what the note says, then ask again from the Production page.`,
        note,
      };
}

/** The email to an organization's owners and admins, with a link to the application's console page. */
export function noticeMessage(to: string, text: NoticeText, consoleUrl: string): MailMessage {
  return {
    to,
    subject: `Vetted: ${text.title}`,
    text: [
      text.body,
      '',
      ...(text.note === null ? [] : ["The administrator's note:", '', text.note, '']),
      `See the application in the developer console: ${consoleUrl}`,
      '',
      'You receive this email as an owner or admin of the organization that registered the application.',
      '',
    ].join('\n'),
  };
}
