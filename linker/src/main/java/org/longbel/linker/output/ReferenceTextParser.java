package org.longbel.linker.output;

import org.longbel.linker.text.PyStrings;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The reference's {@code parse_prediction} (reference spec §6, {@code --reference-compat}, and the
 * default's fallback when no trie leaf is reached): the cleaned prompt + generation is split on
 * {@code "} "}; the last piece, stripped and without {@code <SEP>}, is the name, looked up exactly in
 * the group. QUIRKS kept: a KB name holding " ," comes back cleaned and {@code NO_CODE}; a name
 * starting with ".", ",", "'s", "n't" lost its space after <code>}</code> in the clean-up, so the parse
 * takes the tail of an earlier {@code "} "} (a memory line) or gives {@code NO_PREDICTION}.
 */
public final class ReferenceTextParser {
    private final ConceptIndex kb;

    /** A parser looking names up in {@code kb}. */
    public ReferenceTextParser(ConceptIndex kb) {
        this.kb = kb;
    }

    /** Name and code from the text of {@code DecodedText.skipUndesiredTokens}. */
    public NameCode parse(String cleaned, String group, boolean multipleAnswers) {
        List<String> pieces = split(cleaned, "} ");
        String last = pieces.getLast();
        if (pieces.size() < 2 || PyStrings.isBlank(last)) return NameCode.NONE;
        String name = PyStrings.strip(last).replace("<SEP>", "");
        if (!multipleAnswers) return new NameCode(name, lookup(group, name));
        // Python's set order is hash-dependent: emit the codes sorted instead
        TreeSet<String> codes = new TreeSet<>();
        for (String part : split(name, "<+>")) codes.add(lookup(group, PyStrings.strip(part)));
        if (codes.size() > 1) codes.remove(Prediction.NO_CODE);
        return new NameCode(name, String.join("+", codes));
    }

    private String lookup(String group, String name) {
        String code = kb.hasGroup(group) ? kb.codeOf(group, name) : null;
        return code == null ? Prediction.NO_CODE : code;
    }

    /** Python's {@code s.split(sep)}: every piece, empty ones included. */
    static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }
}
