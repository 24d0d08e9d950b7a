// The Prometheus exposition module: what it writes parses back, line by line, into the
// samples that were recorded (a scraper's view), with labels escaped and histogram buckets cumulative.
import { describe, expect, test } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../../../src/server/observe/metrics.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: every line is a comment (# HELP / # TYPE) or one sample. */
function parse(text: string): { samples: Sample[]; types: Record<string, string> } {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram)$/.exec(line);
    if (type) {
      types[type[1]!] = type[2]!;
      continue;
    }
    if (/^# HELP [a-zA-Z_:][\w:]* .+$/.test(line)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    const body = m![2] ?? '';
    const re = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (let lm = re.exec(body); lm; lm = re.exec(body)) {
      labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
      consumed = re.lastIndex;
    }
    expect(consumed, `labels not fully read: ${body}`).toBe(body.length);
    const raw = m![3]!;
    samples.push({ name: m![1]!, labels, value: raw === '+Inf' ? Infinity : Number(raw) });
  }
  return { samples, types };
}

const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length,
  );

describe('metrics exposition', () => {
  test('counters, gauges and histograms parse back into what was recorded', () => {
    const registry = new Registry();
    const requests = registry.register(new Counter('t_requests_total', 'Requests.'));
    const latency = registry.register(new Histogram('t_seconds', 'Latency.', [0.1, 0.5, 1]));
    registry.register(new Gauge('t_pool', 'Pool.', () => [{ labels: { state: 'idle' }, value: 3 }, { value: 7 }]));
    requests.inc({ route: '/api/sync/push', status: '200' });
    requests.inc({ route: '/api/sync/push', status: '200' });
    requests.inc({ status: '200', route: '/api/sync/push' }, 3); // the same series, whatever the key order
    requests.inc({ route: 'odd "quoted" \\ back\nline', status: '500' });
    for (const v of [0.05, 0.1, 0.3, 2]) latency.observe(v, { route: '/x' });

    const { samples, types } = parse(registry.render());
    expect(types).toEqual({ t_requests_total: 'counter', t_seconds: 'histogram', t_pool: 'gauge' });
    expect(find(samples, 't_requests_total', { route: '/api/sync/push', status: '200' }).map((s) => s.value)).toEqual([5]);
    expect(find(samples, 't_requests_total', { route: 'odd "quoted" \\ back\nline', status: '500' }).map((s) => s.value)).toEqual([1]);
    // Buckets are cumulative (le is an upper bound, inclusive), +Inf equals the count.
    const buckets = samples.filter((s) => s.name === 't_seconds_bucket').map((s) => [s.labels.le, s.labels.route, s.value]);
    expect(buckets).toEqual([
      ['0.1', '/x', 2],
      ['0.5', '/x', 3],
      ['1', '/x', 3],
      ['+Inf', '/x', 4],
    ]);
    expect(find(samples, 't_seconds_count', { route: '/x' })[0]?.value).toBe(4);
    expect(find(samples, 't_seconds_sum', { route: '/x' })[0]?.value).toBeCloseTo(2.45);
    expect(find(samples, 't_pool', { state: 'idle' })[0]?.value).toBe(3);
    expect(find(samples, 't_pool', {})[0]?.value).toBe(7);
  });

  test('a name registered twice, a bad name or buckets out of order are refused', () => {
    const registry = new Registry();
    registry.register(new Counter('a_total', 'A.'));
    expect(() => registry.register(new Counter('a_total', 'A again.'))).toThrow(/twice/);
    expect(() => registry.register(new Counter('1bad', 'Bad.'))).toThrow(/bad metric name/);
    expect(() => new Histogram('h', 'H.', [1, 0.5])).toThrow(/increase/);
  });
});
