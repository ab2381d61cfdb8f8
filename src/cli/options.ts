import { Option } from 'commander';

/** Every flag is declared once: its name, its environment variable, its help and its default. */
export function opt(flags: string, description: string, env?: string, fallback?: string): Option {
  // commander's env() adds "(env: NAME)" to the help itself.
  const o = new Option(flags, description);
  if (env) o.env(env);
  if (fallback !== undefined) o.default(fallback);
  return o;
}

export const urlOption = () => opt('--url <api_domain>', 'base URL of the server (or of Zoho\'s API domain)', 'ZCRM_API_DOMAIN', 'http://127.0.0.1:8080');
export const adminKeyOption = () => opt('--admin-key <key>', 'admin key for a non-loopback server', 'ZCRM_ADMIN_KEY');
