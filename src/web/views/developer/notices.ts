import { button, csrfField } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';

export interface NoticeItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  note: string | null;
  created_at: string;
}

/** Administrators' decisions about the application, on each of its pages until a member dismisses them. */
export function noticesBody(view: {
  notices: readonly NoticeItem[];
  dismissAction: (id: string) => string;
  csrfToken: string;
  canDismiss: boolean;
}): SafeHtml | false {
  if (view.notices.length === 0) return false;
  return html`<section class="partner-notices" aria-label="From the administrators">
    ${view.notices.map(
      (notice) =>
        html`<article
          class="partner-notice${notice.kind === 'production.declined' ? ' partner-notice--attention' : ''}"
          role="status"
        >
          <h2 class="partner-notice__title">${notice.title}</h2>
          <p>${notice.body}</p>
          ${
            notice.note !== null &&
            html`<blockquote class="partner-notice__note">
              <p class="muted">The administrator's note:</p>
              <p class="partner-notice__note-text">${notice.note}</p>
            </blockquote>`
          }
          ${
            view.canDismiss &&
            html`<form
              class="partner-notice__dismiss"
              method="post"
              action="${view.dismissAction(notice.id)}"
            >
              ${csrfField(view.csrfToken)}${button('Dismiss', { variant: 'secondary' })}
            </form>`
          }
        </article>`,
    )}
  </section>`;
}
