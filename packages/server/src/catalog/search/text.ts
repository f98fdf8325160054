import { stemmer } from 'stemmer';

// Words that carry no intent in a tool query ("open a ticket for me").
const STOPWORDS = new Set(
  'a an the to of for in on at by with from into and or is are be it its this that these those my me i you your our we please can could would should will just some any one which what whats s how much many there'.split(
    ' ',
  ),
);

/** Words of a text: camelCase, snake_case, dotted slugs and punctuation split; lower case. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The index form of one word: stemmed (Porter), or undefined for a stopword. */
export function term(word: string): string | undefined {
  if (STOPWORDS.has(word)) return undefined;
  return stemmer(word);
}

/** The index terms of a text, in order. */
export const terms = (text: string): string[] =>
  words(text)
    .map(term)
    .filter((t): t is string => t !== undefined);
