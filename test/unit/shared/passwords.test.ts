// The password rule shared by the admin screens and the server.
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '#shared/passwords';

describe('passwordProblem', () => {
  it('refuses short, repeated, sequential, common and username-based passwords, in Chinese', () => {
    const weak: [string, string?][] = [
      ['short'],
      ['12345678'],
      ['87654321'],
      ['abcdefgh'],
      ['aaaaaaaa'],
      ['啊啊啊啊啊啊啊啊'],
      ['password'],
      ['PassWord'],
      ['qwerty123'],
      ['1qaz2wsx'],
      ['zhangwei', 'zhangwei'],
      ['ZhangWei2024', 'zhangwei'],
      ['iewgnahz', 'zhangwei'],
      ['gw-1gw-1', 'gw-1'],
    ];
    for (const [password, username] of weak) {
      const problem = passwordProblem(password, username);
      expect(problem, password).toBeDefined();
      expect(problem, password).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(passwordProblem('short')).toBe(`密码至少 ${MIN_PASSWORD_LENGTH} 位`);
  });

  it('takes passwords nobody guesses first, including ones that contain digits or the username among other words', () => {
    for (const [password, username] of [
      ['secret-pass-1', 'gw1'],
      ['江口-向阳-2024', 'strong'],
      ['admin-pass-123', 'admin'],
      ['90210-!!xq', 'x'],
      ['correct horse battery staple', 'zhangwei'],
    ] as const) {
      expect(passwordProblem(password, username), password).toBeUndefined();
    }
  });
});
