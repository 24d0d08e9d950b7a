// Events for the office tests (report, exports, drill-down): one township year with known
// figures, including the edge cases of the statistics definitions.
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '#shared/events';
import { hashPassword } from '../../src/server/access/passwords.ts';
import type { TestApp } from './support/app.ts';
import { caseClosed, caseOpened, caseVoided, G1, G2, G3, outreach, PASSWORD, sweep } from './support/sync-fixtures.ts';

/** Five cases accepted in 2024, four closed in 2024 of which three resolved; a voided one. */
export function yearOfEvents(): DomainEvent[] {
  const c1 = caseOpened(G1, '2024-03-01T09:00:00+08:00', {
    disputeType: '01-support',
    peopleInvolved: 3,
    amountInvolved: 20_000,
    parties: [
      { role: 'applicant', name: '张三丰', phone: '13812345678' },
      { role: 'respondent', name: '李四' },
    ],
  });
  const c2 = caseOpened(G2, '2024-12-20T09:00:00+08:00', { source: 'referral', referrer: 'court', peopleInvolved: 2, amountInvolved: 5_000 });
  const c3 = caseOpened(G3, '2024-05-20T09:00:00+08:00', { source: 'referral', referrer: 'police', peopleInvolved: 4 });
  const c4 = caseOpened(G3, '2024-06-20T09:00:00+08:00', { disputeType: '04', source: 'self_initiated' });
  const c5 = caseOpened(G1, '2024-12-31T09:00:00+08:00');
  const c6 = caseOpened(G1, '2024-02-01T09:00:00+08:00');
  return [
    c1,
    caseClosed(c1, '2024-03-10T10:00:00+08:00', 'success', 'written'),
    c2,
    // 23:30 on New Year's Eve in Shanghai, sent in UTC: counts in 2024.
    caseClosed(c2, '2024-12-31T15:30:00Z', 'success', 'oral'),
    c3,
    caseClosed(c3, '2024-06-01T10:00:00+08:00', 'success', 'written'),
    c4,
    caseClosed(c4, '2024-07-01T10:00:00+08:00', 'failure', 'none'),
    c5,
    // Ten past midnight on New Year's Day: resolved in 2025, not 2024.
    caseClosed(c5, '2025-01-01T00:10:00+08:00', 'success', 'written'),
    c6,
    caseClosed(c6, '2024-02-10T10:00:00+08:00', 'success', 'written'),
    caseVoided(c6, '2024-02-11T10:00:00+08:00'),
    outreach(G1, '2024-12-04T09:00:00+08:00', 120, { campaign: 'dec4', themes: ['constitution'] }),
    outreach(G3, '2024-05-10T09:00:00+08:00', 80, { form: 'courtyard' }),
    sweep(G1, '2024-04-01T09:00:00+08:00', 0),
    sweep(G2, '2024-04-02T09:00:00+08:00', 2),
    sweep(G3, '2024-04-03T09:00:00+08:00', 0),
  ];
}

/** A user holding office on the town and mediator on one village: sees that village's names. */
export async function loginOfficeMediator(t: TestApp, villageId: string, townId: string): Promise<string> {
  const username = `om-${villageId}`;
  await t.store.insertUser({
    id: randomUUID(),
    username,
    displayName: '综治办兼调解员',
    passwordHash: await hashPassword(PASSWORD),
    roles: [
      { role: 'office', orgUnitId: townId },
      { role: 'mediator', orgUnitId: villageId },
    ],
    createdAt: new Date(),
  });
  const res = await t.json<{ token: string }>('POST', '/api/auth/login', { body: { username, password: PASSWORD, deviceId: `dev-${username}` } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.body.token;
}
