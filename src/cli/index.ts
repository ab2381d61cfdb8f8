import { Command } from 'commander';
import { AdminError } from './admin-client.js';
import { registerOrg } from './org.js';
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
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    const detail = e instanceof AdminError ? ` ${JSON.stringify(e.body)}` : '';
    process.stderr.write(`zcrm-local: ${(e as Error).message}${detail}\n`);
    process.exitCode = 2;
  }
}
