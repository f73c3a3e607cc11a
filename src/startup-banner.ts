/** What `npm start` tells the person at the terminal once the server listens, beside the JSON logs. */
export interface BannerInput {
  /** The public URL browsers open (VETTED_BASE_URL), not the address the socket listens on. */
  baseUrl: string;
  env: 'development' | 'production';
  /** The development demo is on (config `demo`): name `/demo`, the Demo Shop sign-in. */
  demo?: boolean | undefined;
  /** This instance's first-run setup code, while no administrator exists. */
  setupCode?: string | undefined;
}

/** The first-run setup line: the same text goes to the JSON log (`msg`) and, in development, to the banner. */
export function setupLine(baseUrl: string, code: string): string {
  return (
    `First-run setup: open ${baseUrl}/setup and enter the code ${code} to create the first administrator ` +
    '(or run `npx vetted admin create --email <email> --role admin --password <password>`).'
  );
}

/**
 * One human line per page to open, in development: home, the Demo Shop sign-in when the demo is on, developer
 * console, administration, outbox; then the setup line when there is one. Production gets none: there stdout and stderr both go to a log collector that
 * expects one JSON object a line, and the JSON `vetted listening` line already carries the URLs (the setup
 * line is logged as JSON in every mode, see server.ts).
 */
export function startupBanner(input: BannerInput): string[] {
  if (input.env === 'production') return [];
  const pages: [string, string][] = [
    ['Home page', '/'],
    ...(input.demo === true ? [['Try a sign-in', '/demo'] as [string, string]] : []),
    ['Developer console', '/developer'],
    ['Administration', '/admin'],
    ['Development outbox', '/dev/outbox'],
  ];
  const width = Math.max(...pages.map(([label]) => label.length)) + 1;
  return [
    'Vetted is ready. Open:',
    ...pages.map(([label, path]) => `  ${`${label}:`.padEnd(width + 1)}${input.baseUrl}${path}`),
    ...(input.setupCode === undefined ? [] : [setupLine(input.baseUrl, input.setupCode)]),
  ];
}
