package org.longbel.linker.synth;

/**
 * The shape of the documents {@link SyntheticCorpus} writes. The defaults follow MedMentions ST21pv: a
 * title of 8-15 words and an abstract, 200-250 words in all, 20-45 mentions, 40% of them naming a concept
 * the document already named, half of those repeats under another name of the concept when it has one.
 *
 * @param mentions     mentions per document, drawn uniformly (at least 1)
 * @param words        words per document, title and abstract together, drawn uniformly (at least 2): a
 *                     target, exceeded only when the mentions' own words need more room
 * @param titleWords   words of the title, drawn uniformly (at least 1; at most half the document)
 * @param repeatShare  share of a document's mentions that name a concept already named earlier in the
 *                     same document, in {@code [0, 1)} (the first mention of a document never repeats)
 * @param synonymShare share of the repeats that use another name of the concept (when the knowledge base
 *                     has one) rather than the name used before, in {@code [0, 1]}
 * @param seed         random seed; the same seed, knowledge base and shape give the same documents
 */
public record CorpusShape(IntRange mentions, IntRange words, IntRange titleWords, double repeatShare,
                          double synonymShare, long seed) {
    /** MedMentions ST21pv's mentions per document. */
    public static final IntRange DEFAULT_MENTIONS = new IntRange(20, 45);
    /** MedMentions ST21pv's words per document (title + abstract). */
    public static final IntRange DEFAULT_WORDS = new IntRange(200, 250);
    /** Words of a PubMed title. */
    public static final IntRange DEFAULT_TITLE_WORDS = new IntRange(8, 15);
    /** Share of mentions repeating a concept of their document. */
    public static final double DEFAULT_REPEAT_SHARE = 0.4;
    /** Share of the repeats that use another name of the concept. */
    public static final double DEFAULT_SYNONYM_SHARE = 0.5;

    public CorpusShape {
        if (mentions == null || words == null || titleWords == null) throw new IllegalArgumentException("missing range");
        if (mentions.min() < 1) throw new IllegalArgumentException("mentions per document must be at least 1, got " + mentions);
        if (words.min() < 2) throw new IllegalArgumentException("words per document must be at least 2, got " + words);
        if (titleWords.min() < 1) throw new IllegalArgumentException("title words must be at least 1, got " + titleWords);
        if (!(repeatShare >= 0 && repeatShare < 1)) {
            throw new IllegalArgumentException("repeated-concept share must be in [0, 1), got " + repeatShare);
        }
        if (!(synonymShare >= 0 && synonymShare <= 1)) {
            throw new IllegalArgumentException("synonym share must be in [0, 1], got " + synonymShare);
        }
    }

    /** The MedMentions ST21pv defaults with seed 1. */
    public static CorpusShape defaults() {
        return new CorpusShape(DEFAULT_MENTIONS, DEFAULT_WORDS, DEFAULT_TITLE_WORDS, DEFAULT_REPEAT_SHARE,
                DEFAULT_SYNONYM_SHARE, 1);
    }

    public CorpusShape withMentions(IntRange r) {
        return new CorpusShape(r, words, titleWords, repeatShare, synonymShare, seed);
    }

    public CorpusShape withWords(IntRange r) {
        return new CorpusShape(mentions, r, titleWords, repeatShare, synonymShare, seed);
    }

    public CorpusShape withTitleWords(IntRange r) {
        return new CorpusShape(mentions, words, r, repeatShare, synonymShare, seed);
    }

    public CorpusShape withRepeatShare(double share) {
        return new CorpusShape(mentions, words, titleWords, share, synonymShare, seed);
    }

    public CorpusShape withSynonymShare(double share) {
        return new CorpusShape(mentions, words, titleWords, repeatShare, share, seed);
    }

    public CorpusShape withSeed(long s) {
        return new CorpusShape(mentions, words, titleWords, repeatShare, synonymShare, s);
    }
}
