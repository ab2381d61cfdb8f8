/**
 * The founding document's raw browser sample in a real browser (Debian's chromium, driven by
 * playwright-core): a page on another origin gets its token through the implicit grant — sign
 * in and consent on our pages, token on a redirect page — and delinks with XMLHttpRequest and
 * withCredentials. Set ZCRM_SCREENSHOT_DIR to keep a screenshot of the consent page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { launchChromium } from '../sdk/chromium.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

let server: TestServer;
let site: Server;
let siteUrl: string;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
const user = { email: 'amy.ross@zylker.example', password: 'browser-sample-password' };

/** The app's own static server, on another port than the API: another origin. */
async function serveApp(values: () => Record<string, string>): Promise<Server> {
  const s = createServer((req, res) => {
    const name = (req.url ?? '/').split(/[?#]/)[0].replace(/^\//, '') || 'index.html';
    if (name !== 'index.html' && name !== 'redirect.html') {
      res.writeHead(404).end();
      return;
    }
    let html = readFileSync(join(FIXTURES, name), 'utf8');
    for (const [k, v] of Object.entries(values())) html = html.replaceAll(`{{${k}}}`, v);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

let clientId = '';

before(async () => {
  // Strict CORS, as at Zoho: the page's origin works because its client registered it.
  server = await startTestServer({ demo: true, cors: 'strict' });
  site = await serveApp(() => ({ API: server.url, ACCOUNTS: server.url, CLIENT_ID: clientId, REDIRECT: `${siteUrl}/redirect.html` }));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  await server.admin('POST', '/_zcrm/orgs/3652397/users', { ...user, profile: 'Administrator' });
  const client = await server.admin('POST', '/_zcrm/orgs/3652397/clients', {
    type: 'browser', name: 'Zylker Lead Cleaner', redirect_uris: [`${siteUrl}/redirect.html`], origins: [siteUrl],
  });
  clientId = client.client_id;
  ({ context, close: closeBrowser } = await launchChromium());
});

after(async () => {
  await closeBrowser?.();
  await new Promise((resolve) => site.close(resolve));
  await server.close();
});

const results = (page: Page) => page.evaluate(() => (window as unknown as { results: { label: string; status: number; response: string }[] }).results);

test('the seed\'s browser sample signs in through our pages and delinks records with XMLHttpRequest + withCredentials', { timeout: 180_000 }, async () => {
  const page = await context.newPage();
  await page.goto(`${siteUrl}/index.html`);

  // First click: no token yet. The sample opens the accounts page and still sends its call with "Zoho-oauthtoken null".
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Delink notes' }).click();
  const popup = await popupOpened;
  await page.waitForFunction(() => (window as unknown as { results: unknown[] }).results.length === 1);
  const [first] = await results(page);
  assert.equal(first.status, 401);
  assert.deepEqual(JSON.parse(first.response), { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });

  await popup.getByLabel('Email').fill(user.email);
  await popup.getByLabel('Password').fill(user.password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await popup.getByRole('button', { name: 'Accept' }).waitFor();
  assert.match(await popup.getByRole('heading', { level: 1 }).innerText(), /Zylker Lead Cleaner/);
  assert.ok(await popup.getByText('ZohoCRM.modules.ALL').isVisible());
  if (process.env.ZCRM_SCREENSHOT_DIR) await popup.screenshot({ path: join(process.env.ZCRM_SCREENSHOT_DIR, 'consent.png'), fullPage: true });

  // Accept: the redirect page stores the fragment's token, the sample's storage listener reloads the page.
  const reloaded = page.waitForEvent('load');
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Accept' }).click();
  await closed;
  await reloaded;
  const stored = await page.evaluate(() => ({ token: sessionStorage.getItem('access_token') ?? localStorage.getItem('access_token'), api: localStorage.getItem('api_domain') }));
  assert.match(stored.token ?? '', /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
  assert.equal(stored.api, server.url);

  await page.getByRole('button', { name: 'Delink notes' }).click();
  await page.waitForFunction(() => (window as unknown as { results: unknown[] }).results.length === 1);
  await page.getByRole('button', { name: 'Delink campaign members' }).click();
  await page.waitForFunction(() => (window as unknown as { results: unknown[] }).results.length === 2);
  const [notes, members] = await results(page);
  assert.equal(notes.status, 200);
  assert.deepEqual(JSON.parse(notes.response), {
    data: [
      { code: 'SUCCESS', details: { id: '34770617596026' }, message: 'record deleted', status: 'success' },
      { code: 'SUCCESS', details: { id: '34770617246019' }, message: 'record deleted', status: 'success' },
    ],
  });
  assert.equal(members.status, 200);
  assert.deepEqual(JSON.parse(members.response), {
    data: [
      { code: 'SUCCESS', details: { id: '3652397000000925128' }, message: 'relation removed', status: 'success' },
      { code: 'SUCCESS', details: { id: '3652397000000649013' }, message: 'relation removed', status: 'success' },
    ],
  });

  // The relations are gone, as the API itself reports them.
  const token = server.demoAccessToken!;
  assert.equal((await api(server.url, token, 'GET', '/crm/v2/Campaigns/3652397000000327001/Contacts')).status, 204);
  const left = await api(server.url, token, 'GET', '/crm/v2/Leads/35240336189014/Notes');
  assert.deepEqual(left.body.data.map((n: { id: string }) => n.id), ['35240336243003']);
  await page.close();
});
