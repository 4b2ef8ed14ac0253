/**
 * Checks of text a person typed, with no zod import so that the widget's composer can run the
 * same checks as the schemas that use them.
 */

/**
 * Characters that show nothing on their own: Unicode's White_Space and
 * Default_Ignorable_Code_Point sets (zero-width space and joiners, bidi marks and isolates, word
 * joiner, BOM, soft hyphen, variation selectors, tag characters, the Hangul fillers U+115F, U+1160,
 * U+3164, U+FFA0…), control characters, and U+2800 BRAILLE PATTERN BLANK, which renders as a space.
 */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]*$/u;

/** True when the text would look empty: it has no character a reader can see. */
export function isBlankText(text: string): boolean {
  return INVISIBLE_ONLY.test(text);
}

// In a `u` regex a well-formed pair is one code point; only an unpaired half is a Surrogate.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * True when the string holds half of a UTF-16 surrogate pair on its own: JSON can carry one
 * (`"\ud800"`), but no text encoding can store it, so it would be silently replaced.
 */
export function hasUnpairedSurrogate(text: string): boolean {
  return UNPAIRED_SURROGATE.test(text);
}

export const UNPAIRED_SURROGATE_MESSAGE = 'contains an invalid character (unpaired surrogate)';

// Cc is C0, DEL and C1; line feed and tab are the two a multi-line text legitimately holds.
const CONTROL_CHARACTER = /(?![\n\t])\p{Cc}/u;

/**
 * The first control character of the text other than a line feed or a tab, or null. Such
 * characters show as nothing, or as boxes, and a carriage return or a NUL can split or end the
 * text in a log or a terminal that prints it.
 */
export function controlCharacterIn(text: string): string | null {
  return CONTROL_CHARACTER.exec(text)?.[0] ?? null;
}
