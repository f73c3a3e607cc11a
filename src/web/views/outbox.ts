import { html, type SafeHtml } from '../html.ts';
import { page } from '../layout.ts';

export interface OutboxMessage {
  id: string;
  recipient: string;
  subject: string;
  textBody: string;
  createdAt: Date;
}

export interface OutboxView {
  messages: readonly OutboxMessage[];
}

/** "2025-01-02 13:04:05 UTC": the same on every machine, unlike toLocaleString. */
function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function message(item: OutboxMessage): SafeHtml {
  return html`<article class="message" id="message-${item.id}" aria-labelledby="message-${item.id}-subject">
    <h2 class="message__subject" id="message-${item.id}-subject">${item.subject}</h2>
    <dl class="message__meta">
      <div>
        <dt>To</dt>
        <dd>${item.recipient}</dd>
      </div>
      <div>
        <dt>Sent</dt>
        <dd><time datetime="${item.createdAt.toISOString()}">${formatTime(item.createdAt)}</time></dd>
      </div>
    </dl>
    <pre class="message__body">${item.textBody}</pre>
  </article>`;
}

export function renderOutbox(view: OutboxView): string {
  const newestFirst = [...view.messages].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return page({
    title: 'Development outbox',
    width: 'wide',
    body: html`<div class="banner" role="note">
        <h1 class="banner__title">Development outbox — mail is not sent</h1>
        <p>
          No mail server is configured, so Vetted keeps its messages here instead of delivering them. This
          page exists only in development.
        </p>
      </div>
      ${
        newestFirst.length === 0
          ? html`<p class="empty">No messages yet.</p>`
          : html`<p class="outbox__count">
                ${newestFirst.length} ${newestFirst.length === 1 ? 'message' : 'messages'}, newest first.
              </p>
              ${newestFirst.map(message)}`
      }`,
  });
}
