/** A tiny cookie-keeping page client for the accounts pages, and helpers to set up apps and users. */
import type { TestServer } from './server.js';

export interface Page {
  status: number;
  location: string | null;
  html: string;
}

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export class PageClient {
  cookie: string | undefined;
  constructor(readonly base: string) {}

  private async send(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(new URL(url, this.base), { ...init, headers, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  get(url: string): Promise<Page> {
    return this.send(url, { method: 'GET' });
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

export function formAction(html: string): string {
  const m = /<form method="post" action="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form in page: ${html.slice(0, 400)}`);
  return unescape(m[1]);
}

export function hiddenCsrf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf field');
  return m[1];
}

export interface App {
  orgId: string;
  email: string;
  password: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

let counter = 0;

/** A new org (optionally in another data centre), a user with a password, and one client. */
export async function newApp(server: TestServer, type: 'server' | 'browser', opts: { dc?: string; origins?: string[]; redirectUri?: string } = {}): Promise<App> {
  const org = await server.admin('POST', '/_zcrm/orgs', opts.dc ? { dc: opts.dc, name: 'Zylker' } : { name: 'Zylker' });
  const email = `user${++counter}@zylker.example`;
  const password = 'correct horse battery';
  await server.admin('POST', `/_zcrm/orgs/${org.org_id}/users`, { email, password, profile: 'Administrator' });
  const redirectUri = opts.redirectUri ?? 'http://127.0.0.1:5501/redirect.html';
  const client = await server.admin('POST', `/_zcrm/orgs/${org.org_id}/clients`, {
    type, name: 'Zylker Sync', redirect_uris: [redirectUri], origins: opts.origins,
  });
  return { orgId: org.org_id, email, password, clientId: client.client_id, clientSecret: client.client_secret, redirectUri };
}

export function authUrl(app: App, params: Record<string, string>, path = '/oauth/v2/auth'): string {
  return `${path}?${new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUri, ...params })}`;
}

/** Signs in on the page the auth URL shows; returns the page that follows (consent or redirect). */
export async function signIn(client: PageClient, url: string, email: string, password: string): Promise<Page> {
  const first = await client.get(url);
  if (first.status !== 200 || !first.html.includes('Sign in')) throw new Error(`expected the sign-in page, got ${first.status} ${first.location}`);
  const posted = await client.post(formAction(first.html), { email, password });
  if (posted.status !== 303 || !posted.location) throw new Error(`sign-in failed: ${posted.status}`);
  return client.get(posted.location);
}

/** Answers the consent page; returns where the browser is sent. */
export async function decide(client: PageClient, consent: Page, decision: 'accept' | 'deny'): Promise<string> {
  const done = await client.post(formAction(consent.html), { csrf: hiddenCsrf(consent.html), decision });
  if (done.status !== 303 || !done.location) throw new Error(`consent answer failed: ${done.status}`);
  return done.location;
}

/** The whole browser journey: sign in, accept, and the final redirect. */
export async function grant(server: TestServer, app: App, params: Record<string, string>): Promise<URL> {
  const client = new PageClient(server.url);
  const consent = await signIn(client, authUrl(app, params), app.email, app.password);
  return new URL(await decide(client, consent, 'accept'));
}

export async function tokenCall(base: string, form: Record<string, string>, path = '/oauth/v2/token'): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: await res.json() };
}
