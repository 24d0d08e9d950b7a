// A proxy between the phone and the server that misbehaves on purpose, one scripted fault per
// sync request: the ways a rural mobile network and a hotel Wi-Fi fail. Everything else (the
// app shell, login) passes through untouched.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  /** The connection drops before the request reaches the server. */
  | 'drop-before'
  /** The server handles the request (and commits), then the answer is lost. */
  | 'drop-after'
  | 'error-500'
  /** A proxy in front of a server that is down: 502 with the proxy's own HTML page. */
  | 'bad-gateway'
  /** 429 with Retry-After: 1. */
  | 'rate-limit'
  /** The answer arrives, but only after a long wait. */
  | 'slow'
  /** A captive portal: 200 with its own HTML login page. */
  | 'captive-portal'
  /** The server's answer, cut off halfway through the body. */
  | 'truncated'
  /** The server handles the request, and the answer never comes (the tab is closed meanwhile). */
  | 'hang-after';

export interface FaultProxy {
  url: string;
  /** Faults to apply, in order, to the next sync requests (push, pull, attachments). */
  arm(faults: Fault[]): void;
  /** Faults armed but not yet applied. */
  remaining(): number;
  /** Meet every sync request with `fault` until called again with undefined (a server down for a while). */
  hold(fault: Fault | undefined): void;
  /** What happened to each sync request so far. */
  log: { method: string; path: string; fault: Fault | 'pass'; status?: number; startedAt: number; endedAt?: number }[];
  close(): Promise<void>;
}

const FAULTED = /^\/api\/(sync\/(push|pull)|attachments\/)/;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

export async function startFaultProxy(target: string, port: number, slowMs = 3_000): Promise<FaultProxy> {
  const queue: Fault[] = [];
  let held: Fault | undefined;
  const log: FaultProxy['log'] = [];

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers.set(k, v);
    const r = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
      redirect: 'manual',
    });
    return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
  };

  const pass = (res: ServerResponse, answer: Awaited<ReturnType<typeof forward>>) => {
    const headers: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k)) headers[k] = v;
    });
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    const fault = FAULTED.test(path) ? (held ?? queue.shift()) : undefined;
    const entry: FaultProxy['log'][number] = { method: req.method ?? 'GET', path, fault: fault ?? 'pass', startedAt: Date.now() };
    res.once('close', () => (entry.endedAt = Date.now()));
    if (FAULTED.test(path)) log.push(entry);
    switch (fault) {
      case 'drop-before':
        req.socket.destroy();
        return;
      case 'drop-after': {
        const answer = await forward(req, body);
        entry.status = answer.status;
        req.socket.destroy();
        return;
      }
      case 'error-500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
        return;
      case 'bad-gateway':
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
        return;
      case 'rate-limit':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'rate_limited', message: '请求太频繁' } }));
        return;
      case 'captive-portal':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body><h1>欢迎使用免费 Wi-Fi</h1><form>请输入手机号</form></body></html>');
        return;
      case 'truncated': {
        const answer = await forward(req, body);
        entry.status = answer.status;
        res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(answer.body.length) });
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        setTimeout(() => req.socket.destroy(), 50);
        return;
      }
      case 'hang-after': {
        const answer = await forward(req, body);
        entry.status = answer.status;
        // Never answered: the connection stays open until the browser gives up or the proxy closes.
        return;
      }
      case 'slow': {
        await new Promise((r) => setTimeout(r, slowMs));
        const answer = await forward(req, body);
        entry.status = answer.status;
        pass(res, answer);
        return;
      }
      case undefined: {
        const answer = await forward(req, body);
        entry.status = answer.status;
        pass(res, answer);
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    arm(faults) {
      queue.push(...faults);
    },
    remaining: () => queue.length,
    hold(fault) {
      held = fault;
    },
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
