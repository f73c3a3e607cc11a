import { pager } from '../../console-layout.ts';
import { html, type SafeHtml } from '../../html.ts';

/** An application's Activity tab: its recent API calls, its failed client authentications, its changes. */
export interface ApiCallRow {
  at: string;
  method: string;
  endpoint: string;
  status: number;
  latency_ms: number;
  error_code: string | null;
}

/** The management API's `ClientAuthenticationFailures`. */
export interface AuthFailuresView {
  last_24_hours: number;
  last_30_days: number;
  since: string | null;
  by_endpoint: { endpoint: string; last_24_hours: number; last_30_days: number }[];
}

const failedAuthentications = (count: number) =>
  `${count} failed client authentication${count === 1 ? '' : 's'}`;

/** Calls that named the application with a wrong secret: a number, since they are not the partner's calls. */
function failuresSection(failures: AuthFailuresView): SafeHtml {
  return html`<section class="section" aria-labelledby="auth-failures">
    <h2 id="auth-failures">Failed client authentications</h2>
    <p>
      <strong>${failedAuthentications(failures.last_24_hours)}</strong> in the last 24 hours;
      ${failures.last_30_days} in the last 30
      days${
        failures.since === null ? '' : html` (since ${failures.since.slice(0, 16).replace('T', ' ')} UTC)`
      }.
    </p>
    <p class="muted">
      Calls that named this application but did not authenticate (a wrong or missing client secret) are
      counted here, not listed among the API calls. Many of them may mean a misconfigured server, or someone
      guessing the secret: rotate it if you did not make them.
    </p>
    ${
      failures.by_endpoint.length === 0
        ? html``
        : html`<table class="table">
            <caption class="visually-hidden">
              Failed client authentications by endpoint
            </caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Last 24 hours</th>
                <th scope="col">Last 30 days</th>
              </tr>
            </thead>
            <tbody>
              ${failures.by_endpoint.map(
                (row) =>
                  html`<tr>
                    <td><code>${row.endpoint}</code></td>
                    <td>${row.last_24_hours}</td>
                    <td>${row.last_30_days}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

export function activityBody(view: {
  calls: ApiCallRow[];
  total: number;
  offset: number;
  limit: number;
  href: (offset: number) => string;
  failures: AuthFailuresView;
  events: { at: string; event: string; actor_type: string; data: Record<string, unknown> }[];
}): SafeHtml {
  return html`<section class="section" aria-labelledby="calls">
      <h2 id="calls">API calls</h2>
      <p class="muted">
        The last 500 calls your application made, authenticated, to the token, attributes and other partner
        endpoints.
      </p>
      ${
        view.calls.length === 0
          ? html`<p class="empty">No calls yet.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Recent API calls
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                ${view.calls.map(
                  (call) =>
                    html`<tr>
                      <td class="nowrap">${call.at.slice(0, 19).replace('T', ' ')}</td>
                      <td><code>${call.method} ${call.endpoint}</code></td>
                      <td>${call.status}</td>
                      <td>${call.latency_ms} ms</td>
                      <td>${call.error_code ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager({ total: view.total, offset: view.offset, limit: view.limit, href: view.href })}
    </section>
    ${failuresSection(view.failures)}
    <section class="section" aria-labelledby="events">
      <h2 id="events">Changes</h2>
      ${
        view.events.length === 0
          ? html`<p class="empty">No changes recorded.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Audit events of the application
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Event</th>
                  <th scope="col">By</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                ${view.events.map(
                  (event) =>
                    html`<tr>
                      <td class="nowrap">${event.at.slice(0, 19).replace('T', ' ')}</td>
                      <td>${event.event}</td>
                      <td>${event.actor_type}</td>
                      <td><code>${JSON.stringify(event.data)}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
}
