/** Form parameters from the query string and a urlencoded, multipart or JSON body. */
export async function formParams(rawUrl: string, contentType: string | undefined, body: Buffer | undefined): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const q = rawUrl.indexOf('?');
  if (q !== -1) for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) out[k] = v;
  if (!body || body.length === 0) return out;
  const ct = (contentType ?? '').toLowerCase();
  try {
    if (ct.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType! } }).formData();
      for (const [k, v] of form) if (typeof v === 'string') out[k] = v;
    } else if (ct.startsWith('application/json')) {
      const obj = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
    } else {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out[k] = v;
    }
  } catch {
    // A body that is not a form adds nothing; the grant is then judged on what is there.
  }
  return out;
}
