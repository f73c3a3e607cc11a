import { button, csrfField, field } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';

export interface InvitationRow {
  id: string;
  email: string;
  status: 'pending' | 'expired';
  expires_at: string;
}

/** Invitations not accepted yet: the address only, never whether it has an account. */
export function invitationsTable(view: {
  invitations: InvitationRow[];
  withdrawAction: (id: string) => string;
  csrfToken: string;
}): SafeHtml | false {
  return (
    view.invitations.length > 0 &&
    html`<h3>Invited, not accepted yet</h3>
      <table class="table">
        <caption class="visually-hidden">
          Invitations not accepted yet
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Status</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${view.invitations.map(
            (invitation) =>
              html`<tr>
                <td><code class="value">${invitation.email}</code></td>
                <td>
                  ${invitation.status === 'pending' ? `Invited, pending (until ${invitation.expires_at.slice(0, 10)})` : 'Invited, expired'}
                </td>
                <td>
                  <form method="post" action="${view.withdrawAction(invitation.id)}">
                    ${csrfField(view.csrfToken)}
                    <button
                      class="button button--secondary"
                      type="submit"
                      aria-label="Remove the invitation of ${invitation.email}"
                    >
                      Remove
                    </button>
                  </form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`
  );
}

/** Inviting an existing account: its owner accepts by email, choosing the name shown here. */
export function inviteForm(view: {
  action: string;
  csrfToken: string;
  email?: string | undefined;
  error?: string | undefined;
}): SafeHtml {
  return html`<form class="form" method="post" action="${view.action}" novalidate>
    ${csrfField(view.csrfToken)}
    <h3>Invite an existing account</h3>
    ${field({
      name: 'email',
      label: 'Email of a Vetted account',
      hint: 'Its owner gets an email to accept or decline. The account becomes a test user once they accept, under the name they choose.',
      type: 'email',
      value: view.email,
      error: view.error,
      verbatim: true,
    })}
    ${button('Send invitation', { variant: 'secondary' })}
  </form>`;
}
