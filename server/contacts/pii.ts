/**
 * Keeps payment cards, bank accounts and national ids out of what Palaver stores. Sites send
 * metadata as they please; agents need order numbers and plans, not card numbers.
 */

export type PiiReason = 'card_number' | 'iban' | 'us_ssn' | 'sensitive_key';

export interface DroppedField {
  /** Dotted path of the dropped value inside metadata, e.g. `billing.card`. */
  key: string;
  reason: PiiReason;
}

const SENSITIVE_KEY =
  /card|cvv|cvc|iban|ssn|social.?security|passport|address|password|passwd|secret|tax.?id|bank.?account|routing.?number|sort.?code|driver.?licen[cs]e|national.?id|\bpin\b/i;
/** Keys that contain a sensitive word but name harmless data agents need. */
const HARMLESS_KEY =
  /^(e-?mail|ip|mac|web|url|site)[-_ ]?address$|^(gift|loyalty|business|id|key)[-_ ]?card[-_ ]?(count|type|name|id)?$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !HARMLESS_KEY.test(key);
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the card networks, so that random long numbers are not taken for cards. */
const CARD_PREFIX = /^(4|5[1-5]|2[2-7]|3[47]|3[068]|6011|65|64[4-9]|35|62)/;

export function looksLikeCardNumber(value: string): boolean {
  if (!/^[\d -]+$/.test(value)) return false;
  const digits = value.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhn(digits);
}

export function looksLikeIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const n = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of n) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function looksLikeUsSsn(value: string): boolean {
  const match = /^(\d{3})-(\d{2})-(\d{4})$/.exec(value.trim());
  if (!match) return false;
  const [, area = '', group = '', serial = ''] = match;
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

/** Why the guard drops this value wherever it stands, if it does: a card, an IBAN, a US SSN. */
export function valueReason(value: unknown): PiiReason | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  if (looksLikeCardNumber(text)) return 'card_number';
  if (looksLikeIban(text)) return 'iban';
  if (looksLikeUsSsn(text)) return 'us_ssn';
  return null;
}

/**
 * Returns metadata without sensitive values, and what was dropped (key and reason only — the
 * value itself is never recorded anywhere).
 */
export function stripPii(metadata: Record<string, unknown>): {
  clean: Record<string, unknown>;
  dropped: DroppedField[];
} {
  const dropped: DroppedField[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        const reason = valueReason(item);
        if (reason) dropped.push({ key: `${path}[${i}]`, reason });
        else out.push(walk(item, `${path}[${i}]`));
      });
      return out;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        const at = path ? `${path}.${key}` : key;
        const reason = isSensitiveKey(key) ? 'sensitive_key' : valueReason(inner);
        if (reason) dropped.push({ key: at, reason });
        else out[key] = walk(inner, at);
      }
      return out;
    }
    return value;
  };
  return { clean: walk(metadata, '') as Record<string, unknown>, dropped };
}
