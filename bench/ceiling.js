// The HTTP ceiling: bare node:http answering every request with a fixed small JSON body
// (one delink entry, as a single-id delink answers). usage: node bench/ceiling.js <port>
import { createServer } from 'node:http';

const BODY = Buffer.from(JSON.stringify({
  data: [{ code: 'SUCCESS', details: { id: '3652397000000925128' }, message: 'relation removed', status: 'success' }],
}));
const port = Number(process.argv[2] ?? 0);
createServer((req, res) => {
  // Drain any request body so keep-alive connections stay usable.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': BODY.length });
    res.end(BODY);
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
