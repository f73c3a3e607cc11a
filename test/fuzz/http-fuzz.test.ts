import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import type { RouteEntry } from '../../src/http/route-list.ts';
import { casesFor, type FuzzCase } from './arbitraries.ts';
import { makeFixtures, type Fixtures } from './fixtures.ts';
import { startFuzzServer, type FuzzServer } from './fuzz-server.ts';
import { describeRequest, headBytes, send } from './raw-http.ts';
import { routeKey, routeSeed, routesToFuzz } from './routes.ts';

/**
 * Every route of the app, with hostile requests (see arbitraries.ts), against the real server in a child
 * process. Properties of every case: no 5xx (but the two below), an answer within 5 s, the process still
 * answers /healthz, no secret of the fixtures in the log, and no access-log line saying 5xx.
 *
 * `npm test` runs it with a fixed seed and VETTED_FUZZ_CASES cases per route; `npm run fuzz` (scripts/fuzz.ts)
 * sets a random seed and a depth.
 */
const CASES = Number(process.env.VETTED_FUZZ_CASES ?? 200);
const SEED = Number(process.env.VETTED_FUZZ_SEED ?? 13);
const ONLY = process.env.VETTED_FUZZ_ROUTE;
/** After a route's first failure, fast-check shrinks it for at most this long (each crash restarts the server). */
const SHRINK_MS = Number(process.env.VETTED_FUZZ_SHRINK_MS ?? 20_000);
const ANSWER_MS = 5_000;

/** Methods the router implements; for any other it answers 501 Not Implemented (RFC 9110 §15.6.2). */
const IMPLEMENTED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The only 5xx answers allowed, each documented: why, and when. */
function allowed5xx(request: FuzzCase['request'], status: number): boolean {
  if (status === 501) return !IMPLEMENTED.has(request.method);
  // GET /readyz answers 503 while the instance is not ready (docs/operations: a load balancer's probe).
  if (status === 503) return /^\/readyz(\?|$)/.test(request.target);
  return false;
}

/**
 * When a connection may close without an answer: CONNECT (no 'connect' listener: Node closes the socket, as
 * documented for http.Server), a head past Node's 16 KB limit (431, then a reset that can overtake it), and a
 * large body the server chose not to read (it answered and closed; the reset can overtake the answer).
 * A process that died is caught by the death check, not here.
 */
function closingAllowed(request: FuzzCase['request'], detail: string): boolean {
  if (request.method === 'CONNECT' || headBytes(request) > 16 * 1024) return true;
  return request.body.length >= 64 * 1024 && /EPIPE|ECONNRESET/.test(detail);
}

const server: FuzzServer = await startFuzzServer();
const fixtures: Fixtures = await makeFixtures(server);
const secrets = new Set(fixtures.secrets);
const routes = (await routesToFuzz(server.services, server.url)).filter(
  (route) => ONLY === undefined || routeKey(route).includes(ONLY),
);
let caseNumber = 0;
let previous: FuzzCase['request'] | undefined;
const restarts: string[] = [];

/** After a crash: the same server again (same port, SQLite file and keys), so the fixtures stay valid. */
async function restart(reason: string): Promise<void> {
  restarts.push(reason);
  await server.restart();
}

function logProblems(lines: string[], request: FuzzCase['request']): string[] {
  const problems: string[] = [];
  for (const line of lines) {
    for (const secret of secrets)
      if (line.includes(secret))
        problems.push(`a secret of the fixtures is in the log: ${line.slice(0, 600)}`);
    const logged = /"msg":"request"/.test(line) ? Number(/"status":(\d{3})/.exec(line)?.[1] ?? 0) : 0;
    if (logged >= 500 && !allowed5xx(request, logged))
      problems.push(`the access log says ${logged}: ${line.slice(0, 600)}`);
  }
  return problems;
}

/** One case: undefined when every property holds, else what went wrong. */
async function check(fuzzCase: FuzzCase): Promise<string | undefined> {
  const died = server.death();
  if (died !== undefined) {
    // The previous case passed its checks, then the process fell over (an error emitted after the answer).
    const culprit = previous === undefined ? '' : describeRequest(previous);
    await restart(`after ${previous?.method} ${previous?.target.slice(0, 200)}`);
    return `the process died after the previous case had been answered: ${died.slice(0, 2000)}\nthe previous case: ${culprit}`;
  }
  const port = Number(new URL(server.url).port);
  const late = previous === undefined ? [] : logProblems(server.takeLogLines(), previous);
  const marker = `fuzz-${++caseNumber}`;
  // The case's own request id (unless it sends one itself), so its log lines can be waited for.
  const ownId = fuzzCase.request.headers.some(([name]) => name.toLowerCase() === 'x-request-id');
  const request = ownId
    ? fuzzCase.request
    : {
        ...fuzzCase.request,
        headers: [...fuzzCase.request.headers, ['X-Request-Id', `${marker}-case`] as [string, string]],
      };
  previous = request;
  const outcome = await send('127.0.0.1', port, request, ANSWER_MS);
  // A request given up before its body ended is still running: its access line says how it ended.
  if (outcome.kind === 'incomplete' && !ownId) await server.waitForRequestId(`${marker}-case`, 2_000);
  const problems: string[] = [];
  if (outcome.kind === 'timeout') problems.push(`no answer within ${ANSWER_MS} ms`);
  if (outcome.kind === 'closed' && !closingAllowed(request, outcome.detail))
    problems.push(`the connection closed without an answer (${outcome.detail})`);
  const status = outcome.kind === 'response' ? outcome.status : 0;
  if (status >= 500 && !allowed5xx(request, status))
    problems.push(`answered ${outcome.kind === 'response' ? outcome.head.split('\r\n')[0] : ''}`);

  const health = await fetch(new URL('/healthz', server.url), {
    headers: { 'X-Request-Id': marker },
    signal: AbortSignal.timeout(ANSWER_MS),
  }).then(
    (response) => response.status,
    (error: unknown) => String(error),
  );
  if (health !== 200) {
    problems.push(`/healthz after the case: ${health}`);
    // A process that stopped answering may be about to exit: give its exit a moment to be seen.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (health === 200) await server.waitForRequestId(marker, ANSWER_MS);
  const lines = server.takeLogLines();
  problems.push(
    ...logProblems(lines, request),
    ...late.map((problem) => `(logged after the previous case) ${problem}`),
  );
  if (problems.length > 0)
    for (const line of lines.filter((logged) => logged.includes('"err":')))
      problems.push(`server error log: ${line.slice(0, 1500)}`);
  const death = server.death();
  if (death !== undefined) {
    problems.unshift(`the process died: ${death.slice(0, 2000)}`);
    await restart(`${request.method} ${request.target.slice(0, 200)}`);
  }
  return problems.length === 0 ? undefined : problems.join('\n');
}

function runRoute(route: RouteEntry) {
  return async () => {
    const seed = routeSeed(SEED, route);
    const host = new URL(server.url).host;
    let firstFailure: number | undefined;
    const details = await fc.check(
      fc.asyncProperty(casesFor(route, fixtures, host), async (fuzzCase) => {
        // Past the shrinking budget a case is not sent: the smallest failure found so far is reported.
        if (firstFailure !== undefined && Date.now() - firstFailure > SHRINK_MS) return true;
        const problem = await check(fuzzCase);
        if (problem === undefined) return true;
        firstFailure ??= Date.now();
        throw new Error(problem);
      }),
      { seed, numRuns: CASES },
    );
    if (!details.failed) return;
    const [counterexample] = details.counterexample ?? [];
    const error =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      [
        `${routeKey(route)}: property failed after ${details.numRuns} cases, shrunk ${details.numShrinks} times`,
        `replay: npm run fuzz -- --seed ${SEED} --cases ${CASES} --route '${routeKey(route)}'` +
          ` (fast-check seed ${seed}, path ${details.counterexamplePath}; state left by other routes may differ)`,
        error,
        counterexample === undefined ? '' : `credentials: ${counterexample.credentials}`,
        counterexample === undefined ? '' : describeRequest(counterexample.request),
      ].join('\n'),
    );
  };
}

describe(`fuzz: every route, ${CASES} cases each, seed ${SEED}`, () => {
  afterAll(async () => {
    if (restarts.length > 0) console.warn(`the server was restarted after crashes: ${restarts.join(' | ')}`);
    await server.stop();
  });
  // A route's cases take a few ms each; the slowest (Argon2 sign-ins, shrinking after a crash) far more.
  for (const route of routes) it(routeKey(route), runRoute(route), Math.max(600_000, CASES * 200));
});
