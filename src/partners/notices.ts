import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Application } from './application.ts';
import { shownName } from './application.ts';
import {
  communitiesDecidedText,
  noticeMessage,
  productionDecidedText,
  type NoticeText,
} from './notice-emails.ts';
import type { NoticeRepository, PartnerNotice } from './notice-repository.ts';
import type { Member } from './organizations.ts';
import { partnerErrors } from './errors.ts';

/** How many notices an application's pages show at most. */
const SHOWN = 5;

/**
 * Partners are told what administrators decide about their applications: a notice on the application's
 * console pages until a member dismisses it, and an email to the organization's owners and admins.
 */
export function createPartnerNoticeService(deps: {
  repository: NoticeRepository;
  members: (organizationId: string) => Promise<Member[]>;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Communities' names as users and partners know them, for handles. */
  communityNames: (handles: readonly string[]) => Promise<string[]>;
  /** The application's page in the developer console. */
  consoleUrl: (organizationId: string, clientId: string) => string;
}) {
  async function tell(application: Application, text: NoticeText): Promise<void> {
    // The operator's own applications have no organization, hence nobody to tell.
    const organizationId = application.organizationId;
    if (organizationId === null) return;
    await deps.repository.insert({
      id: deps.ids.uuid(),
      clientId: application.clientId,
      ...text,
      createdAt: deps.clock.now(),
    });
    const url = deps.consoleUrl(organizationId, application.clientId);
    const recipients = (await deps.members(organizationId)).filter(
      (member) => member.role === 'owner' || member.role === 'admin',
    );
    for (const member of recipients) {
      // The decision is made and stored; a mail server's failure must not undo it or hide it from the console.
      await deps.mailer.send(noticeMessage(member.email, text, url)).catch((error: unknown) => {
        deps.logger.error({ err: error, clientId: application.clientId }, 'could not mail a partner notice');
      });
    }
  }

  return {
    async communitiesDecided(
      application: Application,
      decided: { enabled: readonly string[]; refused: readonly string[] },
    ): Promise<void> {
      if (decided.enabled.length === 0 && decided.refused.length === 0) return;
      const named = {
        enabled: await deps.communityNames(decided.enabled),
        refused: await deps.communityNames(decided.refused),
      };
      await tell(application, communitiesDecidedText(shownName(application), named));
    },

    productionDecided(
      application: Application,
      decision: 'approved' | 'declined',
      note: string | null,
    ): Promise<void> {
      return tell(application, productionDecidedText(shownName(application), decision, note));
    },

    open: (clientId: string): Promise<PartnerNotice[]> => deps.repository.listOpen(clientId, SHOWN),

    async dismiss(clientId: string, id: string, by: string | null): Promise<void> {
      if (!(await deps.repository.dismiss(clientId, id, by, deps.clock.now().getTime()))) {
        throw partnerErrors.noticeNotFound();
      }
    },

    deleteForClient: (clientId: string) => deps.repository.deleteForClient(clientId),
  };
}

export type PartnerNoticeService = ReturnType<typeof createPartnerNoticeService>;
