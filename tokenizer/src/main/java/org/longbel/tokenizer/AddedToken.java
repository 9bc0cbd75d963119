package org.longbel.tokenizer;

/**
 * An entry of tokenizer.json's {@code added_tokens}: a string always cut out of the text as one token
 * before pre-tokenization.
 *
 * @param id         its id
 * @param content    the exact text it matches
 * @param special    skipped by {@code decode(..., skipSpecialTokens=true)}
 * @param lstrip     also swallows the white space before it
 * @param rstrip     also swallows the white space after it
 * @param singleWord matches only when not preceded or followed by a word character
 * @param normalized matched in the normalized text rather than the raw text
 */
public record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip,
                         boolean singleWord, boolean normalized) {}
