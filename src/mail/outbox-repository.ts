import type { Kysely } from 'kysely';
import type { Schema } from '../storage/schema.ts';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  createdAt: number;
}

/** The development outbox: mail that would have been sent, kept for the /dev/outbox page. */
export function createOutboxRepository(db: Kysely<Schema>) {
  return {
    async insert(message: OutboxMessage): Promise<void> {
      await db
        .insertInto('outbox_messages')
        .values({
          id: message.id,
          recipient: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html,
          created_at: message.createdAt,
        })
        .execute();
    },

    /** Newest first. */
    async listRecent(limit: number): Promise<OutboxMessage[]> {
      const rows = await db
        .selectFrom('outbox_messages')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        to: row.recipient,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        createdAt: row.created_at,
      }));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
