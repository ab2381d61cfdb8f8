import { Command, CommanderError } from 'commander';
import { ZcrmApiError } from '../sdk/index.js';
import { AdminError } from './admin-client.js';
import { registerConnectionCommands } from './connection-commands.js';
import { registerOrg } from './org.js';
import { registerRecordsCommands } from './records-commands.js';
import { registerRelatedCommands } from './related-commands.js';
import { registerSelfClient } from './self-client.js';
import { registerSnapshot } from './snapshot.js';
import { registerServe } from './serve.js';
import { registerUser } from './user.js';
import { registerClient } from './client.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('zcrm-local').description('A local Zoho CRM v2-compatible API server, with tools for related records').version('0.1.0');
  registerServe(program);
  registerSelfClient(program);
  registerOrg(program);
  registerSnapshot(program);
  registerUser(program);
  registerClient(program);
  registerRelatedCommands(program);
  registerRecordsCommands(program);
  registerConnectionCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  // Usage mistakes exit with 2, like other failures to run; 1 means "ran, and some ids failed".
  const overrideExit = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(overrideExit);
  };
  overrideExit(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const detail = e instanceof AdminError ? ` ${JSON.stringify(e.body)}` : e instanceof ZcrmApiError ? ` ${JSON.stringify(e.body)}` : '';
    process.stderr.write(`zcrm-local: ${(e as Error).message}${detail}\n`);
    process.exitCode = 2;
  }
}
