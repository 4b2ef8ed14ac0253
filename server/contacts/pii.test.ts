import { describe, expect, it } from 'vitest';
import { looksLikeCardNumber, looksLikeIban, looksLikeUsSsn, stripPii } from './pii.js';

describe('the PII guard', () => {
  it('recognises card numbers by network prefix and Luhn, with spaces or dashes', () => {
    for (const card of [
      '4111111111111111',
      '4111 1111 1111 1111',
      '5500-0000-0000-0004',
      '378282246310005',
    ]) {
      expect(looksLikeCardNumber(card)).toBe(true);
    }
    expect(looksLikeCardNumber('4111111111111112')).toBe(false);
  });

  it('recognises IBANs by checksum and US SSNs by shape and valid ranges', () => {
    expect(looksLikeIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(looksLikeIban('GB82WEST12345698765432')).toBe(true);
    expect(looksLikeIban('DE89370400440532013001')).toBe(false);
    expect(looksLikeUsSsn('123-45-6789')).toBe(true);
    expect(looksLikeUsSsn('000-45-6789')).toBe(false);
    expect(looksLikeUsSsn('666-45-6789')).toBe(false);
  });

  it('drops sensitive values and keys, recording only where and why', () => {
    const { clean, dropped } = stripPii({
      plan: 'Pro',
      card: 'visa ending 4242',
      billing: { iban_number: 'x', note: 'DE89370400440532013000', city: 'Berlin' },
      backup: ['4111111111111111', 'ok'],
      tax: '123-45-6789',
      shipping_address: '1 Main St',
    });
    expect(clean).toEqual({ plan: 'Pro', billing: { city: 'Berlin' }, backup: ['ok'] });
    expect(dropped).toEqual([
      { key: 'card', reason: 'sensitive_key' },
      { key: 'billing.iban_number', reason: 'sensitive_key' },
      { key: 'billing.note', reason: 'iban' },
      { key: 'backup[0]', reason: 'card_number' },
      { key: 'tax', reason: 'us_ssn' },
      { key: 'shipping_address', reason: 'sensitive_key' },
    ]);
    expect(JSON.stringify(dropped)).not.toContain('4111');
  });

  it('keeps ordinary order numbers, phone-like ids, dates and harmless keys', () => {
    const metadata = {
      order_number: 'ORD-2024-000123',
      last_order: 100234567,
      invoice: '2026-11-23',
      tracking: '1Z999AA10123456784',
      email_address: 'a@b.test',
      account_id: 1234567890123,
      gift_card_count: 2,
    };
    expect(stripPii(metadata)).toEqual({ clean: metadata, dropped: [] });
  });
});
