// The password rule, one for the admin screens (which say the problem before sending) and the
// server (which has the last word at account creation and password reset): at least 8
// characters, not one character repeated, not a run like 12345678 or abcdefgh, not the username,
// not one of the passwords every guessing list starts with.
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** Passwords tried first by anyone guessing (Chinese and international leaked-password lists), lower case. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '0123456789',
  '87654321',
  '11223344',
  '12341234',
  '12344321',
  '123123123',
  '11112222',
  '147258369',
  '123456abc',
  '123456aa',
  'abc12345',
  'abcd1234',
  'a1234567',
  'a12345678',
  'aa123456',
  'qq123456',
  'zxcvbnm1',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'iloveyou',
  'woaini1314',
  '5201314520',
  '52013145',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  '1qaz2wsx',
  'zaq12wsx',
  'asdfghjk',
  'asdf1234',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'q1w2e3r4',
  'admin123',
  'admin1234',
  'admin888',
  'admin@123',
  'administrator',
  'root1234',
  'test1234',
  'welcome1',
  'letmein1',
  'changeme',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'dragon12',
  'monkey12',
  'superman',
  'trustno1',
  'computer',
  'internet',
  'taizhang',
  'taizhang123',
  'fazhi123',
  'tiaojie123',
  'wangge123',
  'sifasuo123',
  'zhangsan',
  'wangwei1',
  'woaini520',
  'abcdefgh',
]);

/** Whether the password is a run of consecutive characters (12345678, 87654321, abcdefgh). */
function isRun(password: string): boolean {
  const codes = [...password.toLowerCase()].map((ch) => ch.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  return (step === 1 || step === -1) && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** Why the password may not be used, in Chinese; undefined when it may. */
export function passwordProblem(password: string, username?: string): string | undefined {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (chars.length > MAX_PASSWORD_LENGTH) return `密码不超过 ${MAX_PASSWORD_LENGTH} 位`;
  const lower = password.toLowerCase();
  if (new Set(chars).size === 1) return '密码不能是同一个字符的重复，请换一个不容易被猜到的密码';
  if (isRun(password)) return '密码不能是连续的数字或字母（如 12345678），请换一个不容易被猜到的密码';
  const name = username?.trim().toLowerCase();
  // The username, reversed, repeated, or with digits and signs around it.
  if (name && (lower === [...name].reverse().join('') || (lower.includes(name) && /^[\d\p{P}\p{S}\s]*$/u.test(lower.split(name).join(''))))) {
    return '密码不能与用户名相同或只是在用户名后加数字，请换一个不容易被猜到的密码';
  }
  if (COMMON_PASSWORDS.has(lower)) return '该密码过于常见，很容易被猜到，请换一个';
  return undefined;
}
