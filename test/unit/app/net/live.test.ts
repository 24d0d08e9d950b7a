// The live channel's client: SSE text parsed across chunk boundaries, "ready" and "events" told,
// the token sent as a bearer header, a reconnect after the stream ends (at the server's retry:),
// nothing more once disconnected.
import { describe, expect, test } from 'vitest';
import { createLiveChannel, parseSse } from '../../../../src/app/net/live.ts';

function sseResponse(chunks: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe('parseSse', () => {
  test('splits whole messages, keeps the unfinished rest, counts comments', () => {
    const { messages, comments, rest } = parseSse('event: ready\ndata: {}\nretry: 3000\n\n: ping\n\nevent: events\ndata: {"seq":7}\n\nevent: ev');
    expect(messages).toEqual([
      { event: 'ready', data: '{}', retry: 3000 },
      { event: 'events', data: '{"seq":7}' },
    ]);
    expect(comments).toBe(1);
    expect(rest).toBe('event: ev');
  });
});

describe('the live channel', () => {
  test('tells ready and new seqs, sends the token, reconnects after the stream ends, stops when disconnected', async () => {
    const told: string[] = [];
    const auth: (string | null)[] = [];
    let opened = 0;
    let second: () => void = () => {};
    const secondOpened = new Promise<void>((resolve) => (second = resolve));
    const channel = createLiveChannel({
      token: async () => 'tok',
      random: () => 0.5,
      fetch: async (_url, init) => {
        auth.push(new Headers(init?.headers).get('authorization'));
        opened++;
        if (opened === 2) second();
        // The second message is split across chunks.
        return sseResponse(['event: ready\ndata: {}\nretry: 5\n\n', 'event: events\nda', 'ta: {"seq":42}\n\n']);
      },
      onReady: () => told.push('ready'),
      onEvents: (seq) => told.push(`events ${seq}`),
    });
    channel.connect();
    await secondOpened;
    channel.disconnect();
    const after = opened;
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toBe(after);
    expect(told.slice(0, 2)).toEqual(['ready', 'events 42']);
    expect(auth[0]).toBe('Bearer tok');
  });

  test('opens nothing without a token', async () => {
    let opened = 0;
    const channel = createLiveChannel({
      token: async () => undefined,
      fetch: async () => {
        opened++;
        return sseResponse([]);
      },
      onReady: () => {},
      onEvents: () => {},
    });
    channel.connect();
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toBe(0);
    channel.disconnect();
  });
});
