// Stopping the HTTP server without dropping what it accepted (SIGTERM from a deploy or a
// container stop). http.Server.close() destroys every connection with no request being
// answered, including one accepted a moment ago whose request is not read yet (the client sees
// a reset), and closing an idle keep-alive connection early races the client reusing it. So:
// stop listening, answer every request in flight or still arriving with `Connection: close`,
// leave idle keep-alive connections to the keep-alive timeout the client was told (it stops
// reusing them before then), and cut whatever is left when the grace period ends. A live
// channel's stream (text/event-stream) never ends by itself: it is cut at once, and its client
// reconnects to a process still running.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';

/** The live channel's stream (routes/live.ts): it has no end of its own to wait for. */
const LIVE_STREAM = /^\/api\/sync\/events(\?|$)/;

/** Watches the server's connections from now on; the returned function stops it and resolves once every connection is closed. */
export function drainOnStop(server: Server): (graceMs: number) => Promise<void> {
  const open = new Set<Socket>();
  const answering = new Set<ServerResponse>();
  const streaming = new Set<ServerResponse>();
  let stopping = false;

  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    answering.add(res);
    if (LIVE_STREAM.test(req.url ?? '')) streaming.add(res);
    res.once('close', () => {
      answering.delete(res);
      streaming.delete(res);
    });
  });

  return (graceMs) => {
    stopping = true;
    for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
    for (const res of streaming) res.destroy();
    return new Promise<void>((resolve) => {
      // One turn of the event loop first: connections the kernel already holds are accepted, not reset.
      setImmediate(() => {
        const grace = setTimeout(() => {
          for (const socket of open) socket.destroy();
        }, graceMs);
        // net.Server's close, not http.Server's: stop listening without destroying accepted connections.
        net.Server.prototype.close.call(server, () => {
          clearTimeout(grace);
          resolve();
        });
      });
    });
  };
}
