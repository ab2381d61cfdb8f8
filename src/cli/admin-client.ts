/** A small client for the server's `/_zcrm/` admin surface, used by CLI commands. */
export class AdminError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export async function adminCall(base: string, method: string, path: string, body?: unknown, adminKey?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (adminKey) headers['x-zcrm-admin-key'] = adminKey;
  let res: Response;
  try {
    res = await fetch(new URL(path, base.replace(/\/+$/, '') + '/'), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new Error(`cannot reach ${base}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : {};
  if (!res.ok) throw new AdminError(res.status, parsed);
  return parsed as Record<string, unknown>;
}
