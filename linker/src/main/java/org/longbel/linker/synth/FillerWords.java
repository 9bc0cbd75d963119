package org.longbel.linker.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in words put between mentions: English function words and common words of biomedical
 * abstracts, drawn so that about 2 words in 5 are function words, as in running English text.
 */
final class FillerWords {
    /** Share of the filler words that are function words. */
    static final double FUNCTION_SHARE = 0.4;

    static final List<String> FUNCTION = List.of(
            "the", "of", "and", "in", "to", "a", "with", "for", "was", "were", "is", "are", "by", "on", "as",
            "from", "at", "that", "this", "these", "between", "after", "during", "among", "than", "or", "not",
            "which", "both", "its", "their", "an", "into", "within", "without", "whereas", "while", "also",
            "but", "been", "be", "has", "have", "had", "all", "each", "more", "less", "most", "other");

    static final List<String> CONTENT = List.of(
            "patients", "study", "results", "analysis", "increased", "decreased", "associated", "expression",
            "treatment", "levels", "significantly", "observed", "compared", "group", "groups", "effect",
            "effects", "clinical", "data", "using", "showed", "found", "higher", "lower", "risk", "response",
            "activity", "role", "model", "cells", "function", "factors", "changes", "development", "induced",
            "reduced", "significant", "different", "samples", "methods", "evaluated", "investigated",
            "identified", "performed", "included", "demonstrated", "suggest", "revealed", "potential",
            "mechanism", "mechanisms", "process", "outcome", "outcomes", "years", "months", "age", "total",
            "high", "low", "number", "rate", "rates", "ratio", "mean", "median", "baseline", "follow-up",
            "cohort", "trial", "randomized", "controlled", "prospective", "retrospective", "population",
            "subjects", "participants", "cases", "controls", "measured", "assessed", "determined",
            "correlation", "correlated", "association", "independent", "multivariate", "regression",
            "independently", "respectively", "novel", "specific", "related", "dependent", "mediated",
            "regulation", "regulated", "pathway", "pathways", "signaling", "binding", "levels", "concentration",
            "dose", "doses", "therapy", "therapeutic", "diagnosis", "prognosis", "severity", "incidence",
            "prevalence", "approach", "strategy", "evidence", "findings", "conclusion", "conclusions",
            "background", "objective", "aim", "purpose", "present", "previous", "recent", "current", "further",
            "however", "therefore", "thus", "moreover", "overall", "including", "based", "following",
            "various", "several", "multiple", "single", "early", "late", "long-term", "short-term", "acute",
            "chronic", "primary", "secondary", "normal", "abnormal", "positive", "negative", "relative",
            "absolute", "time", "period", "week", "day", "daily", "weekly", "initial", "final", "improved",
            "impaired", "contributed", "affected", "exposure", "exposed", "characterized", "characteristics",
            "features", "profile", "profiles", "pattern", "patterns", "structure", "formation", "production",
            "release", "uptake", "accumulation", "distribution", "detection", "measurement", "assessment",
            "evaluation", "comparison", "difference", "differences", "variation", "variability", "sensitivity",
            "specificity", "accuracy", "performance", "efficacy", "safety", "tolerability", "adverse", "events",
            "management", "care", "practice", "guidelines", "recommendations", "quality", "improvement");

    private FillerWords() {
    }

    /** One filler word. */
    static String draw(SplittableRandom rnd) {
        List<String> list = rnd.nextDouble() < FUNCTION_SHARE ? FUNCTION : CONTENT;
        return list.get(rnd.nextInt(list.size()));
    }

    /** {@code word} with its first letter in upper case (sentence starts). */
    static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
