// The log's identity on both stores: every pull names the log's generation, a new one is minted
// on demand (restore, failover) and persists, and a cursor that does not count in the log —
// beyond its end, or from a token last answered in another generation — gets the distinct
// start-again answer that even a phone knowing nothing of generations follows back to seq 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.ts';
import { storeCases } from './support/stores.ts';
import { G1, pull, pullAll, push, seedTownship, sweep, type PullAnswer, type Township } from './support/sync-fixtures.ts';

type GenerationAnswer = PullAnswer & { generation?: string; restart?: string };

describe.each(storeCases())('log generation on $name', (storeCase) => {
  const t = useTestApp(storeCase);
  let town: Township;
  beforeAll(async () => {
    town = await seedTownship(t());
  });

  const pullG = (cursor: number) => t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${cursor}&limit=500`, { token: town.tokens.grid1! });

  it('every pull names the same generation until a new one is minted, which then stays', async () => {
    const first = await pullG(0);
    expect(first.status).toBe(200);
    expect(first.body.generation).toMatch(/^[0-9a-f]{32}$/);
    expect((await pullG(0)).body.generation).toBe(first.body.generation);

    const minted = await t().store.mintGeneration('restore');
    expect(minted).not.toBe(first.body.generation);
    const after = await pullG(0);
    expect(after.body.generation).toBe(minted);
    expect(after.body.restart).toBeUndefined();
    const history = await t().store.logGenerations();
    expect(history.map((g) => g.reason)).toEqual(['created', 'restore']);
    expect(history.at(-1)?.generation).toBe(minted);
  });

  it('a cursor at the log end is an ordinary pull; one beyond it is told to start again from 0', async () => {
    const events = [sweep(G1, '2024-05-01T09:00:00+08:00'), sweep(G1, '2024-05-02T09:00:00+08:00')];
    expect((await push(t(), town.tokens.grid1!, events)).status).toBe(200);
    const { cursor } = await pullAll(t(), town.tokens.grid1!);
    const { lastSeq, generation } = await t().store.logIdentity();
    expect(cursor).toBe(lastSeq);

    const atEnd = await pullG(cursor);
    expect(atEnd.body).toEqual({ events: [], cursor, hasMore: false, generation });

    const ahead = await pullG(lastSeq + 100);
    expect(ahead.status).toBe(200);
    expect(ahead.body).toEqual({ events: [], cursor: 0, hasMore: true, generation, restart: 'cursor_ahead' });
    // What a phone that ignores the new fields does with it: pull from the answer's cursor, and get everything.
    const again = await pullAll(t(), town.tokens.grid1!, ahead.body.cursor);
    expect(again.events.map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    expect(again.cursor).toBe(lastSeq);
  });

  it('a cursor a pull answered is never beyond the end, also for a reader whose units hold no recent events', async () => {
    // grid2's scope holds none of grid1's events: its cursor still comes from this log.
    const other = await pull(t(), town.tokens.grid2!, 0);
    const next = await t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${other.body.cursor}`, { token: town.tokens.grid2! });
    expect(next.body.restart).toBeUndefined();
  });

  it('a token last answered in another generation is told to start again, once, even with its cursor inside the log', async () => {
    const token = town.tokens.mediator1!;
    expect((await push(t(), town.tokens.grid1!, [sweep(G1, '2024-05-03T09:00:00+08:00')])).status).toBe(200);
    const before = await pullAll(t(), token);
    expect(before.cursor).toBeGreaterThan(1);
    // A failover: the same log under a new generation. The old phone's cursor is inside it.
    const generation = await t().store.mintGeneration('failover');
    const told = await t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${before.cursor - 1}`, { token });
    expect(told.body).toEqual({ events: [], cursor: 0, hasMore: true, generation, restart: 'other_generation' });
    // Until it pulls from 0 it is told again (an answer lost on the way changes nothing) …
    expect((await t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${before.cursor}`, { token })).body.restart).toBe('other_generation');
    // … then it gets everything, and its cursors are this log's.
    const again = await pullAll(t(), token, 0);
    expect(again.events.map((e) => e.id)).toEqual(before.events.map((e) => e.id));
    expect((await t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${again.cursor}`, { token })).body).toEqual({
      events: [],
      cursor: again.cursor,
      hasMore: false,
      generation,
    });
    // A token that never pulled has no generation to differ from: its cursor is taken as it is.
    const fresh = await town.login('grid1', 'another-phone');
    expect((await t().json<GenerationAnswer>('GET', `/api/sync/pull?cursor=${again.cursor}`, { token: fresh })).body.restart).toBeUndefined();
  });
});
