/**
 * Every word a user reads on the extension's pages and badges comes from the message catalogue
 * (public/_locales): in the UI files, a literal with letters in JSX text, or in a prop a user reads or hears,
 * is an error. `t('key')` arguments are keys, not words, and are left alone.
 */
const LETTERS = '/[A-Za-z]{2,}/';
const USER_PROPS = '/^(title|aria-label|aria-description|placeholder|alt|label|legend|summary)$/';
/** Literals that are keys, codes or comparisons rather than words: `t('key')`, `x === 'ai'`, `{ kind: 'kept' }`. */
const NOT_A_KEY = [
  ':not(CallExpression > Literal)',
  ':not(CallExpression > ArrayExpression > Literal)',
  ':not(CallExpression > ConditionalExpression > Literal)',
  ':not(BinaryExpression > Literal)',
  ':not(SwitchCase > Literal)',
  ':not(MemberExpression > Literal)',
  ':not(Property > Literal)',
].join('');
/** Inside an element's children, props other than the user-facing ones (className, role, type) are not words. */
const NOT_IN_PROP = ':not(JSXAttribute Literal)';
const NOT_IN_PROP_TEMPLATE = ':not(JSXAttribute TemplateElement)';
const message = 'User-visible words belong in the message catalogue (public/_locales): use t() from lib/present/i18n.';

export const i18nLiterals = {
  files: ['components/**/*.tsx', 'entrypoints/**/*.tsx'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: `JSXText[value=${LETTERS}]`, message },
      // {'Words'} or {open ? 'Close' : 'Open'} as an element's child.
      {
        selector: `JSXElement > JSXExpressionContainer Literal[value=${LETTERS}]${NOT_A_KEY}${NOT_IN_PROP}`,
        message,
      },
      {
        selector: `JSXElement > JSXExpressionContainer TemplateElement[value.raw=${LETTERS}]${NOT_IN_PROP_TEMPLATE}`,
        message,
      },
      // title="Words", aria-label={`Words ${x}`}, placeholder={cond ? 'Words' : …}.
      { selector: `JSXAttribute[name.name=${USER_PROPS}] Literal[value=${LETTERS}]${NOT_A_KEY}`, message },
      { selector: `JSXAttribute[name.name=${USER_PROPS}] TemplateElement[value.raw=${LETTERS}]`, message },
    ],
  },
};
