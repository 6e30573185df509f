'use strict';
// A tiny HTTP service for the interoperability tests (W3C trace context and baggage, in and out).
//   PORT       port to listen on, on 127.0.0.1 (required)
//   GET  /call?url=<url>   GETs <url> and answers with its status code and a JSON summary
//   POST /call?url=<url>   POSTs its own request body (as application/json) to <url>, same answer
//   POST /hook             answers 200 with the trace context and baggage it received
//   GET  /healthz          answers 200 (not traced)
// The server span of /hook carries the received context as attributes:
//   interop.baggage.<key>   each baggage entry as decoded by the JS SDK's W3C baggage propagator
//   interop.baggage         all of them as JSON
//   interop.baggage_header  the baggage header as received
//   interop.tracestate      the tracestate header as received
const { provider, serviceName, tracesUrl } = require('./tracing');
const { context, propagation, trace } = require('@opentelemetry/api');
const http = require('node:http');

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('PORT must be set to a port number');
  process.exit(2);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function currentIds() {
  const ctx = trace.getActiveSpan()?.spanContext();
  return { traceId: ctx?.traceId ?? null, spanId: ctx?.spanId ?? null };
}

function receivedBaggage() {
  const baggage = propagation.getBaggage(context.active());
  const entries = {};
  for (const [key, entry] of baggage ? baggage.getAllEntries() : []) {
    entries[key] = entry.value;
  }
  return entries;
}

function outgoing(method, target, body) {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json', 'content-length': body.length } : {};
    const req = http.request(target, { method, headers }, (res) => {
      readBody(res).then((b) => resolve({ status: res.statusCode, body: b.toString('utf8') }), reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host || '127.0.0.1'}`);
  if (url.pathname === '/healthz') {
    return sendJson(res, 200, { status: 'ok' });
  }

  if (url.pathname === '/call' && (req.method === 'GET' || req.method === 'POST')) {
    const target = url.searchParams.get('url');
    let parsed;
    try {
      parsed = new URL(target);
    } catch {
      return sendJson(res, 400, { error: 'url must be an absolute http:// URL' });
    }
    if (parsed.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
      return sendJson(res, 400, { error: 'only http:// loopback URLs are allowed' });
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    try {
      const answer = await outgoing(req.method, parsed, body);
      return sendJson(res, answer.status, { status: answer.status, body: answer.body, ...currentIds() });
    } catch (err) {
      return sendJson(res, 502, { error: String(err && err.message), ...currentIds() });
    }
  }

  if (url.pathname === '/hook' && req.method === 'POST') {
    const body = (await readBody(req)).toString('utf8');
    const baggage = receivedBaggage();
    const span = trace.getActiveSpan();
    if (span) {
      span.setAttribute('interop.baggage', JSON.stringify(baggage));
      for (const [key, value] of Object.entries(baggage)) {
        span.setAttribute(`interop.baggage.${key}`, value);
      }
      if (req.headers.baggage !== undefined) {
        span.setAttribute('interop.baggage_header', String(req.headers.baggage));
      }
      if (req.headers.tracestate !== undefined) {
        span.setAttribute('interop.tracestate', String(req.headers.tracestate));
      }
    }
    return sendJson(res, 200, {
      traceparent: req.headers.traceparent ?? null,
      tracestate: req.headers.tracestate ?? null,
      baggageHeader: req.headers.baggage ?? null,
      baggage,
      body,
      ...currentIds(),
    });
  }

  return sendJson(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) {
      sendJson(res, 500, { error: String(err && err.message) });
    } else {
      res.destroy();
    }
  });
});

let stopping = false;
async function stop(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  server.close();
  server.closeAllConnections?.();
  try {
    await provider.shutdown(); // exports whatever is still pending
  } catch (err) {
    console.error(`span flush failed: ${err && err.message}`);
  }
  console.log(`node-service stopped (${signal})`);
  process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server.listen(port, '127.0.0.1', () => {
  console.log(`node-service ready on http://127.0.0.1:${port} (service.name=${serviceName}, traces to ${tracesUrl})`);
});
