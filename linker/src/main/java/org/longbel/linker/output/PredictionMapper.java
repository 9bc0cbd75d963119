package org.longbel.linker.output;

import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.Hypothesis;
import org.longbel.linker.prompt.Mention;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns one mention's finished hypotheses into its ranked records (reference spec §6). The default
 * takes the name and code from the trie leaf and the corrected score; {@code referenceCompat}
 * reproduces the wrapper's text parse and score.
 */
public final class PredictionMapper {
    private final TrieLeafResolver leaves;
    private final ReferenceTextParser parser;
    private final boolean multipleAnswers;
    private final boolean referenceCompat;

    /** A mapper over {@code kb}; {@code referenceCompat} selects the wrapper's text parse and score. */
    public PredictionMapper(ConceptIndex kb, TokenIds ids, boolean multipleAnswers, boolean referenceCompat) {
        this.leaves = new TrieLeafResolver(kb, ids.closeBrace(), ids.eos(), ids.pad(), ids.plus());
        this.parser = new ReferenceTextParser(kb);
        this.multipleAnswers = multipleAnswers;
        this.referenceCompat = referenceCompat;
    }

    /**
     * The records of {@code mention}, rank 1 first.
     *
     * @param cleanedText the text of {@code DecodedText.skipUndesiredTokens} for prompt + a hypothesis's
     *                    tokens (only called where the text parse is needed)
     * @param numBeams    beams used: with one beam {@code beam_score} is NaN, as in the reference
     */
    public List<Prediction> map(Mention mention, DecodingResult result, int numBeams,
                                Function<Hypothesis, String> cleanedText) {
        List<Prediction> out = new ArrayList<>();
        List<Hypothesis> hs = result.hypotheses();
        for (int r = 0; r < hs.size(); r++) {
            Hypothesis h = hs.get(r);
            NameCode nc = referenceCompat ? null
                    : leaves.resolve(mention.group(), h.tokens(), multipleAnswers).orElse(null);
            if (nc == null) nc = parser.parse(cleanedText.apply(h), mention.group(), multipleAnswers);
            double score = referenceCompat ? h.compatScore() : h.score();
            double beamScore = numBeams > 1 ? h.beamScore() : Double.NaN;
            double untempered = numBeams > 1 && result.mode().isSampling() ? result.untemperedBeamScore(r) : Double.NaN;
            out.add(new Prediction(mention.text(), mention.docId(), mention.mentionId(), mention.start(),
                    mention.end(), mention.group(), mention.goldCode(), mention.goldName(), nc.name(), nc.code(),
                    score, beamScore, r + 1, null, untempered));
        }
        return out;
    }

    /** Records for a mention that could not be decoded: N ranks of NO_PREDICTION carrying the reason. */
    public static List<Prediction> error(Mention mention, int numReturn, String reason) {
        List<Prediction> out = new ArrayList<>();
        for (int r = 1; r <= numReturn; r++) {
            out.add(new Prediction(mention.text(), mention.docId(), mention.mentionId(), mention.start(),
                    mention.end(), mention.group(), mention.goldCode(), mention.goldName(),
                    Prediction.NO_PREDICTION, Prediction.NO_CODE, 0.0, Double.NaN, r, reason, Double.NaN));
        }
        return out;
    }
}
