import { describe, expect, test } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskParty, maskPhone } from '#shared/mask';

describe('masking', () => {
  test('the usual forms', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('500235199001011234')).toBe('5002**********1234');
    expect(maskIdNumber('50023519900101123X')).toBe('5002**********123X');
    expect(maskIdNumber('500235900101123')).toBe('5002*******1123');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
  });

  test('odd and short input never throws and never shows more than the masked form', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone(undefined)).toBe('');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('0086 13812345678')).toBe('138****5678');
    expect(maskPhone('023-6812345')).toBe('******2345');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskName('王')).toBe('*');
    expect(maskName('  ')).toBe('');
    expect(maskName(null)).toBe('');
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  test('masked output hides the middle of every long input', () => {
    for (const s of ['13812345678', '500235199001011234', '0234567890123']) {
      const masked = maskPhone(s);
      expect(masked).not.toContain(s.slice(3, s.length - 4));
    }
  });

  test('addresses keep only the township part', () => {
    expect(maskAddress('重庆市江口镇向阳村三组12号')).toBe('重庆市江口镇****');
    expect(maskAddress('三组12号')).toBe('三组***');
  });

  test('maskParty masks every personal field and keeps the rest', () => {
    expect(maskParty({ role: 'applicant', name: '张三丰', phone: '13812345678', idNumber: '500235199001011234', sex: 'male', age: 60 })).toEqual({
      role: 'applicant',
      name: '张**',
      phone: '138****5678',
      idNumber: '5002**********1234',
      sex: 'male',
      age: 60,
    });
  });
});
