// Masked forms of personal data for lists and exports (PIPL: minimal display). Every function
// takes whatever a record holds, short or odd, never throws, and never shows more than the
// masked form would: when in doubt, more is hidden.
import type { Party } from './events.ts';

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/** '13812345678' → '138****5678'; short numbers keep at most their last 4 digits. */
export function maskPhone(phone: string | undefined | null): string {
  if (typeof phone !== 'string') return '';
  let digits = phone.replace(/[^0-9]/g, '');
  // A mainland mobile written with its country code (+86 / 0086) masks like the bare number.
  if (/^(?:00)?861\d{10}$/.test(digits)) digits = digits.slice(-11);
  if (digits.length === 0) return '';
  if (digits.length >= 11) return `${digits.slice(0, 3)}${stars(digits.length - 7)}${digits.slice(-4)}`;
  if (digits.length >= 8) return `${stars(digits.length - 4)}${digits.slice(-4)}`;
  return stars(digits.length);
}

/** '500235199001011234' → '5002**********1234'; anything too short to mask is hidden. */
export function maskIdNumber(idNumber: string | undefined | null): string {
  if (typeof idNumber !== 'string') return '';
  const s = idNumber.replace(/\s/g, '');
  const chars = Array.from(s);
  if (chars.length === 0) return '';
  if (chars.length >= 15) return `${chars.slice(0, 4).join('')}${stars(chars.length - 8)}${chars.slice(-4).join('')}`;
  return stars(chars.length);
}

/** '张三丰' → '张**': the surname (first character) stays, the rest becomes stars. */
export function maskName(name: string | undefined | null): string {
  if (typeof name !== 'string') return '';
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return `${chars[0]}${stars(chars.length - 1)}`;
}

/** Keeps the first 6 characters of an address (town/village level) and hides the rest. */
export function maskAddress(address: string | undefined | null): string {
  if (typeof address !== 'string') return '';
  const chars = Array.from(address.trim());
  if (chars.length <= 6)
    return chars.length === 0 ? '' : `${chars.slice(0, Math.floor(chars.length / 2)).join('')}${stars(chars.length - Math.floor(chars.length / 2))}`;
  return `${chars.slice(0, 6).join('')}****`;
}

/** A party as lists and exports show it: name, phone, ID number and address masked. */
export function maskParty(party: Party): Party {
  const out: Party = { ...party, name: maskName(party.name) };
  if (party.phone !== undefined) out.phone = maskPhone(party.phone);
  if (party.idNumber !== undefined) out.idNumber = maskIdNumber(party.idNumber);
  if (party.address !== undefined) out.address = maskAddress(party.address);
  return out;
}
