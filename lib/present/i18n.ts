import { browser } from 'wxt/browser';
import type enMessages from '../../public/_locales/en/messages.json';

/**
 * The message catalogue's keys, read from `public/_locales/en/messages.json` (the default locale) so that a key
 * missing from it fails the type check.
 */
export type MessageKey = keyof typeof enMessages;

/** A catalogue as `messages.json` holds it (only the fields this project reads). */
export type Catalogue = Record<string, { message: string; description?: string }>;

/** What a message's `$1`…`$9` are replaced with, in order. */
export type Substitutions = ReadonlyArray<string | number>;

let fallback: Catalogue | null = null;

/**
 * Where the browser's own i18n is absent (Node: unit tests, `scan`), messages come from this catalogue instead;
 * extension pages and content scripts never need it, so no catalogue is bundled into them.
 */
export function setFallbackCatalogue(catalogue: Catalogue | null): void {
  fallback = catalogue;
}

/** `$1`…`$9` replaced as the browser does, `$$` as a literal dollar sign. */
export function formatMessage(message: string, substitutions: Substitutions = []): string {
  return message.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === '$' ? '$' : String(substitutions[Number(which) - 1] ?? ''),
  );
}

function browserMessage(key: string, substitutions: Substitutions): string {
  try {
    // The browser picks the user's language, falling back to `default_locale` (en) for a key a locale lacks.
    return browser.i18n.getMessage(key as MessageKey, substitutions.map(String));
  } catch {
    return '';
  }
}

/**
 * A message in the user's language. A key the catalogue lacks reads as the key itself, so a gap shows on screen
 * (and the catalogue test fails) rather than leaving a blank.
 */
export function t(key: MessageKey, substitutions: Substitutions = []): string {
  const entry = fallback?.[key];
  if (entry) return formatMessage(entry.message, substitutions);
  return browserMessage(key, substitutions) || key;
}

/** Plural forms English and Spanish share: `_one` for exactly 1, `_other` for every other count. */
type PluralBase<K> = K extends `${infer Base}_one` ? (`${Base}_other` extends MessageKey ? Base : never) : never;

/** A key with `_one` and `_other` forms. */
export type PluralKey = PluralBase<MessageKey>;

/** The form of `key` that fits `count`, with `count` as `$1` and `rest` as `$2` onwards. */
export function plural(key: PluralKey, count: number, rest: Substitutions = []): string {
  return t(`${key}_${count === 1 ? 'one' : 'other'}` as MessageKey, [count, ...rest]);
}
