// The founding document's ES6 snippets bundled with esbuild into a page, run in headless
// Chromium against the API server on another origin (CORS).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchChromium, serveStatic } from './chromium.js';
import { campaignWithContacts, linkedIds } from './helpers.js';

let server: TestServer;
let site: Awaited<ReturnType<typeof serveStatic>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let token: string;

before(async () => {
  server = await startTestServer();
  token = (await server.newOrg()).token;
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/browser-entry.js', import.meta.url))],
    bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', logLevel: 'silent',
  });
  site = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><title>seed</title><script src="/app.js"></script>' },
    '/app.js': { type: 'text/javascript', body: bundle.outputFiles[0].text },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
});

test('the bundle holds no Node-only code', async () => {
  const res = await fetch(`${site.url}/app.js`);
  const text = await res.text();
  assert.doesNotMatch(text, /require\("node:|from "node:/);
  assert.match(text, /delinkRecords/);
});

test('the seed snippets delink records from a page in Chromium', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 4);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url + '/');
  await page.waitForFunction(() => 'seed' in window);
  const init = { apiDomain: server.url, accessToken: token };
  const many = await page.evaluate(
    ([i, c, ids]) => (window as any).seed.delinkRecords(i, 'Campaigns', c, 'Contacts', ids),
    [init, campaignId, contactIds.slice(0, 3)] as const,
  );
  assert.deepEqual(many, {
    status: 200,
    wrapper: true,
    items: contactIds.slice(0, 3).map((id) => ({ kind: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id } })),
  });
  const one = await page.evaluate(
    ([i, c, id]) => (window as any).seed.delinkRecord(i, 'Campaigns', c, 'Contacts', id),
    [init, campaignId, contactIds[3]] as const,
  );
  assert.deepEqual(one, {
    status: 200, wrapper: true,
    items: [{ kind: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: contactIds[3] } }],
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(await linkedIds(server.url, token, `Campaigns/${campaignId}/Contacts`), []);
  await page.close();
});
