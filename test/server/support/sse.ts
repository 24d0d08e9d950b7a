// Reads a server-sent event stream (the live channel, GET /api/sync/events) message by message,
// the way the app's fetch-based reader does: comments (heartbeats) are counted, not returned.
interface SseMessage {
  event: string;
  data: string;
}

export interface SseReader {
  /** The next message; rejects when the stream ends or `timeoutMs` passes first. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Heartbeat comments seen so far. */
  readonly comments: number;
  /** The last `retry:` the server sent: how long the client waits before reconnecting. */
  readonly retry: number | undefined;
  close(): Promise<void>;
}

export function readSse(res: Response): SseReader {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let comments = 0;
  let retry: number | undefined;
  const queue: SseMessage[] = [];
  // A read that lost a race with the timeout is kept for the next call: its chunk must not be dropped.
  let pending: Promise<ReadableStreamReadResult<string>> | undefined;

  const parse = () => {
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comments++;
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
      }
      if (data.length > 0) queue.push({ event, data: data.join('\n') });
    }
  };

  return {
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no live message in time');
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          (pending ??= reader.read()),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), left);
          }),
        ]);
        clearTimeout(timer);
        if (chunk === 'timeout') throw new Error('no live message in time');
        pending = undefined;
        if (chunk.done) throw new Error('live stream ended');
        buffer += chunk.value;
        parse();
      }
      return queue.shift()!;
    },
    get comments() {
      return comments;
    },
    get retry() {
      return retry;
    },
    close: () => reader.cancel(),
  };
}
