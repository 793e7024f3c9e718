/**
 * A phrase of the trigram index (users_search, migration 021) matching `text` as a substring: the
 * tokenizer cuts the phrase into the same trigrams as the indexed text, and a phrase needs them in a
 * row. Double quotes are doubled so any text stays one phrase.
 */
export function phraseOf(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}
