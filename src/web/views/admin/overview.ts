import { communitiesWaiting, shownName, type Application } from '../../../partners/application.ts';
import { html, type SafeHtml } from '../../html.ts';
import { notice } from '../../components.ts';
import { adminPage, type AdminFrame } from './shared.ts';

export interface OverviewView extends AdminFrame {
  pendingProductionRequests: number;
  applications: number;
  organizations: number;
  /** Applications whose requested communities are neither enabled nor refused, longest waiting first. */
  waitingForCommunities: { items: Application[]; total: number };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function waitingSection(waiting: OverviewView['waitingForCommunities']): SafeHtml {
  return html`<section class="section" aria-labelledby="waiting-title">
    <h2 id="waiting-title">Applications waiting for communities</h2>
    ${
      waiting.total === 0
        ? html`<p class="muted">No application is waiting for a community.</p>`
        : html`<p>
              ${plural(waiting.total, 'application asks', 'applications ask')} for communities. Enable or
              refuse them on the application's page; the partner is told.
            </p>
            <ul>
              ${waiting.items.map(
                (app) =>
                  html`<li>
                    <a href="/admin/applications/${encodeURIComponent(app.clientId)}">${shownName(app)}</a>:
                    ${communitiesWaiting(app).join(', ')}
                  </li>`,
              )}
            </ul>
            ${
              waiting.total > waiting.items.length &&
              html`<p class="muted">The ${waiting.items.length} waiting longest are shown.</p>`
            }`
    }
  </section>`;
}

/** `/admin`: what waits for an administrator, and where everything is. */
export function renderAdminOverview(view: OverviewView): string {
  return adminPage(view, {
    title: 'Overview',
    current: '/admin',
    body: html`${notice(
        view.pendingProductionRequests === 0 ? undefined : 'Production requests are waiting for a decision.',
      )}
      <dl class="facts">
        <div>
          <dt>Production requests waiting</dt>
          <dd>
            <a href="/admin/production-requests"
              >${plural(view.pendingProductionRequests, 'request', 'requests')}</a
            >
          </dd>
        </div>
        <div>
          <dt>Applications</dt>
          <dd>
            <a href="/admin/applications">${plural(view.applications, 'application', 'applications')}</a>
          </dd>
        </div>
        <div>
          <dt>Organizations</dt>
          <dd>
            <a href="/admin/organizations">${plural(view.organizations, 'organization', 'organizations')}</a>
          </dd>
        </div>
      </dl>
      ${waitingSection(view.waitingForCommunities)}
      <section class="section">
        <h2>Sections</h2>
        <ul>
          <li>
            <a href="/admin/applications">Applications</a>: search, enable communities and features, suspend.
          </li>
          <li><a href="/admin/organizations">Organizations</a>: members and their applications.</li>
          <li>
            <a href="/admin/production-requests">Production requests</a>: approve or decline, oldest first.
          </li>
          <li><a href="/admin/users">Users</a> and <a href="/admin/communities">communities</a>.</li>
          <li><a href="/admin/audit">Audit log</a>: every administrative action, newest first.</li>
          <li><a href="/review">Review queue</a>: documents waiting for a reviewer.</li>
        </ul>
      </section>`,
  });
}
