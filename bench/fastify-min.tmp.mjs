import Fastify from 'fastify';
const app = Fastify({ logger: false });
const body = JSON.stringify({ data: [{ code: 'SUCCESS', details: { id: '3652397000000925128' }, message: 'relation removed', status: 'success' }] });
app.route({ method: ['GET', 'DELETE'], url: '/*', handler: async (req, reply) => reply.header('content-type', 'application/json;charset=utf-8').send(body) });
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
