import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface CreateFlags {
  name: string;
  role: string;
  user?: string;
  integration?: string;
  grantAccount: string[];
  config?: string;
}

interface ListFlags {
  json?: boolean;
  config?: string;
}

/**
 * `playbook tokens create|list|revoke`: the API's tokens, in the token store file
 * (`api.tokensFile`), which keeps only their SHA-256. A new token is printed once.
 */
export function register(program: Command, ctx: CommandContext): void {
  const tokens = program.command('tokens').description('create, list and revoke HTTP API tokens');

  tokens
    .command('create')
    .description('create a token and print it once (only its hash is stored)')
    .requiredOption('--name <name>', 'a unique name, logged with every write the token makes')
    .requiredOption(
      '--role <role>',
      'csm (its book of business: read, start runs, send events, complete own tasks), csops (everything), integration (accounts and signed writes)',
    )
    .option('--user <email>', "the person's email: required for csm (tasks assigned to it), optional for csops")
    .option('--integration <name>', 'for integration tokens: its entry in api.integrations, whose secret signs its events')
    .option(
      '--grant-account <id>',
      'for csm tokens: an account it may see and act on besides its book (the accounts whose user fields name --user); repeatable',
      (id: string, ids: string[]) => [...ids, id],
      [] as string[],
    )
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: CreateFlags) => {
      const [{ loadConfig }, { FileTokenStore }, { issueToken }] = await Promise.all([
        import('../../config/load.js'),
        import('../../api/tokens/store.js'),
        import('../../api/tokens/issue.js'),
      ]);
      const config = loadConfig(flags.config === undefined ? {} : { path: flags.config });
      const store = new FileTokenStore(config.api.tokensFile);
      const { token, record } = await issueToken(
        store,
        {
          name: flags.name,
          role: flags.role,
          ...(flags.user !== undefined && { user: flags.user }),
          ...(flags.integration !== undefined && { integration: flags.integration }),
          ...(flags.grantAccount.length > 0 && { grants: flags.grantAccount }),
        },
        Object.keys(config.api.integrations),
        new Date(),
      );
      ctx.io.out(`${token}\n`);
      ctx.io.err(`created ${record.role} token ${record.name} in ${store.file}; it is shown only this once\n`);
    });

  tokens
    .command('list')
    .description('list the tokens (names, roles, users, integrations; never the tokens)')
    .option('--json', 'print a JSON array of { name, role, user?, integration?, grants?, createdAt }')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: ListFlags) => {
      const [{ loadConfig }, { FileTokenStore }, { alignColumns }] = await Promise.all([
        import('../../config/load.js'),
        import('../../api/tokens/store.js'),
        import('../../simulate/format.js'),
      ]);
      const config = loadConfig(flags.config === undefined ? {} : { path: flags.config });
      const records = (await new FileTokenStore(config.api.tokensFile).list()).map(({ hash: _hash, ...rest }) => rest);
      if (flags.json) ctx.io.out(`${JSON.stringify(records)}\n`);
      else if (records.length === 0) ctx.io.out('no tokens: create one with `playbook tokens create`\n');
      else {
        const rows = [['NAME', 'ROLE', 'USER / INTEGRATION', 'CREATED'], ...records.map((r) => [r.name, r.role, r.user ?? r.integration ?? '-', r.createdAt])];
        ctx.io.out(
          alignColumns(rows)
            .map((row) => `${row}\n`)
            .join(''),
        );
      }
    });

  tokens
    .command('revoke')
    .description('revoke a token: a running API refuses it from its next request')
    .argument('<name>', 'the token name')
    .option('--config <file>', CONFIG_HELP)
    .action(async (name: string, flags: { config?: string }) => {
      const [{ loadConfig }, { FileTokenStore }] = await Promise.all([import('../../config/load.js'), import('../../api/tokens/store.js')]);
      const config = loadConfig(flags.config === undefined ? {} : { path: flags.config });
      const store = new FileTokenStore(config.api.tokensFile);
      const revoked = await store.revoke(name);
      ctx.io.out(`revoked ${revoked.role} token ${revoked.name}\n`);
    });
}
