import type { Command } from 'commander';
import { print, withServices, type JsonOption } from './context.ts';

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
];
const repeat = (value: string, previous: string[] = []) => [...previous, value];

interface CreateOptions extends JsonOption {
  name: string;
  redirectUri: string[];
  scopes: string[];
  public?: boolean;
  sandbox?: boolean;
  responseTypes?: string[];
  releasedAttributes?: string[];
  idTokenAlg?: 'RS256' | 'ES256';
  singleUseAccessTokens?: boolean;
}

/** `vetted apps …`: the operator's way to register partner applications. */
export function registerAppCommands(program: Command): void {
  const apps = program.command('apps').description('Manage partner applications (OAuth clients).');
  apps
    .command('create')
    .description('Register an application; prints its client_id and, once, its client_secret.')
    .requiredOption('--name <name>', 'the name users see on the consent page')
    .requiredOption('--redirect-uri <uri>', 'an exact redirect URI (repeat for several)', repeat)
    .requiredOption(
      '--scopes <list>',
      'communities (and openid, profile, email) it may request, comma-separated',
      list,
    )
    .option('--public', 'a public client (SPA or native app): no secret, PKCE required')
    .option('--sandbox', 'start in sandbox mode (the default here is production)')
    .option('--response-types <list>', 'allowed response types, comma-separated (default: code)', list)
    .option('--released-attributes <list>', 'optional attributes released (age, community attributes)', list)
    .option('--id-token-alg <alg>', 'ID token signing algorithm: RS256 (default) or ES256')
    .option('--single-use-access-tokens', 'an access token works for one attributes call')
    .option('--json', 'print machine-readable output')
    .action((options: CreateOptions) =>
      withServices(async (services) => {
        const { application, clientSecret } = await services.applications.create(
          {
            name: options.name,
            redirectUris: options.redirectUri,
            scopes: options.scopes,
            clientType: options.public === true ? 'public' : 'confidential',
            mode: options.sandbox === true ? 'sandbox' : 'production',
            ...(options.responseTypes === undefined ? {} : { responseTypes: options.responseTypes }),
            ...(options.releasedAttributes === undefined
              ? {}
              : { releasedAttributes: options.releasedAttributes }),
            ...(options.idTokenAlg === undefined ? {} : { idTokenSignedResponseAlg: options.idTokenAlg }),
            singleUseAccessTokens: options.singleUseAccessTokens === true,
          },
          { type: 'operator' },
        );
        const result = {
          client_id: application.clientId,
          ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
          name: application.name,
          client_type: application.clientType,
          mode: application.mode,
          redirect_uris: application.redirectUris,
          scopes: application.allowedScopes,
          response_types: application.responseTypes,
        };
        print(result, options.json, () =>
          [
            `Created ${application.name} (${application.mode}).`,
            `client_id:     ${application.clientId}`,
            ...(clientSecret === undefined
              ? []
              : [`client_secret: ${clientSecret}   (shown once: store it now)`]),
          ].join('\n'),
        );
      }),
    );
}
