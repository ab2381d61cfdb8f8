/**
 * The server loads Fastify's schema compilers only when a route declares a schema (its own routes
 * declare none): a route that does still has its body validated and its answer serialised.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../src/server/app.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

test('a route with a schema is validated and serialised by compilers loaded on demand', async () => {
  const store = new SqliteStore(':memory:');
  const { app } = await buildApp({ store, logLevel: 'silent' });
  app.post('/_schema-check', {
    schema: {
      body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      response: { 200: { type: 'object', properties: { twice: { type: 'integer' } } } },
    },
    // The app reads every body as a buffer; this route asks for JSON.
    preValidation: (request, _reply, done) => {
      request.body = JSON.parse(String(request.body));
      done();
    },
  }, async (request) => ({ twice: (request.body as { n: number }).n * 2, dropped: 'not in the response schema' }));
  try {
    const ok = await app.inject({ method: 'POST', url: '/_schema-check', payload: { n: 21 } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { twice: 42 });
    const bad = await app.inject({ method: 'POST', url: '/_schema-check', payload: { n: 'x' } });
    assert.equal(bad.statusCode, 400, bad.body);
  } finally {
    await app.close();
    await store.close();
  }
});
