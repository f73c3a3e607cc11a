import { html } from '../../html.ts';
import { notice } from '../../components.ts';
import { adminPage, type AdminFrame } from './shared.ts';

export interface OverviewView extends AdminFrame {
  pendingProductionRequests: number;
  applications: number;
  organizations: number;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

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
