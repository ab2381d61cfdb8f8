/**
 * Named connections (like Deluge's `connection:"crm_oauth_connection"`): where to call and how
 * to authenticate, saved in the user's config folder in a file only the user can read.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TokenSet, TokenStore } from '../sdk/index.js';

export interface Connection {
  apiDomain: string;
  accountsUrl?: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

/** `$ZCRM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/zcrm-local`, else `~/.config/zcrm-local`. */
export function configDir(): string {
  if (process.env.ZCRM_CONFIG_DIR) return process.env.ZCRM_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'zcrm-local');
}

function readJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    throw new Error(`${file} is not valid JSON; fix or remove it`);
  }
}

/** Written to a temporary file (mode 0600) and renamed, so a crash never leaves half a file. */
function writeJson(file: string, value: unknown): void {
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export const connectionsFile = () => join(configDir(), 'connections.json');

export function loadConnections(): Record<string, Connection> {
  const all = readJson(connectionsFile()).connections;
  return all && typeof all === 'object' ? (all as Record<string, Connection>) : {};
}

export function saveConnections(connections: Record<string, Connection>): void {
  writeJson(connectionsFile(), { connections });
}

export function getConnection(name: string): Connection {
  const found = loadConnections()[name];
  if (!found) throw new Error(`no connection named "${name}" (see \`zcrm-local connection list\`)`);
  return found;
}

/**
 * Access tokens of refresh-token connections, kept between runs (same folder, mode 0600) so
 * each command does not mint a new token.
 */
export class FileTokenStore implements TokenStore {
  constructor(private readonly scope: string) {}
  private file(): string {
    return join(configDir(), 'tokens.json');
  }
  get(key: string): TokenSet | undefined {
    return readJson(this.file())[`${this.scope}|${key}`] as TokenSet | undefined;
  }
  set(key: string, token: TokenSet): void {
    const all = readJson(this.file());
    all[`${this.scope}|${key}`] = token;
    writeJson(this.file(), all);
  }
  delete(key: string): void {
    const all = readJson(this.file());
    delete all[`${this.scope}|${key}`];
    writeJson(this.file(), all);
  }
}
