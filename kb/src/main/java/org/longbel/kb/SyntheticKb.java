package org.longbel.kb;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates a synthetic {@code text_to_code.json} for scale tests. Names are drawn word by word from a
 * real KB (typically a sample of UMLS names): the number of words follows the real names' distribution
 * and each word is drawn with its real frequency, so token statistics (length, shared prefixes, vocabulary)
 * stay realistic. Every name is distinct within its group; about 1 name in 3 is a synonym of the
 * previous concept (same code). Deterministic for a given seed.
 */
public final class SyntheticKb {
    private final List<String> wordOccurrences = new ArrayList<>();
    private final List<Integer> wordCounts = new ArrayList<>();
    private final List<String> groupNames;

    /** Learns words and name lengths from {@code vocabulary}. */
    public SyntheticKb(ConceptTable vocabulary) {
        groupNames = vocabulary.groups();
        for (String g : groupNames) {
            for (String name : vocabulary.names(g).keySet()) {
                String[] words = name.strip().split("\\s+");
                wordCounts.add(words.length);
                for (String w : words) wordOccurrences.add(w);
            }
        }
        if (wordOccurrences.isEmpty()) throw new KbException("the vocabulary KB holds no names");
    }

    /** Summary of a generated file. */
    public record Summary(Path file, int groups, long names, long codes) {}

    /**
     * Writes {@code names} distinct names spread evenly over {@code groups} groups (named like the
     * vocabulary's groups, then {@code Group N}) to {@code out}.
     */
    public Summary write(Path out, long names, int groups, long seed) {
        if (names < 1 || groups < 1) throw new IllegalArgumentException("need at least one name and one group");
        Random rnd = new Random(seed);
        long codes = 0;
        try (JsonGenerator json = new JsonFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            long written = 0;
            for (int g = 0; g < groups; g++) {
                long inGroup = names / groups + (g < names % groups ? 1 : 0);
                json.writeObjectFieldStart(g < groupNames.size() ? groupNames.get(g) : "Group " + (g + 1));
                Set<String> seen = new HashSet<>((int) Math.min(Integer.MAX_VALUE, inGroup * 2));
                String code = null;
                for (long i = 0; i < inGroup; i++) {
                    String name = distinctName(rnd, seen);
                    if (code == null || rnd.nextInt(3) != 0) {
                        code = String.format("C%07d", 1_000_000 + written + i);
                        codes++;
                    }
                    json.writeStringField(name, code);
                }
                written += inGroup;
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return new Summary(out, groups, names, codes);
    }

    private String distinctName(Random rnd, Set<String> seen) {
        StringBuilder sb = new StringBuilder();
        for (int attempt = 0; ; attempt++) {
            sb.setLength(0);
            // after many collisions (the short names are used up), add a word to leave the crowded lengths
            int words = wordCounts.get(rnd.nextInt(wordCounts.size())) + attempt / 8;
            for (int w = 0; w < words; w++) {
                if (w > 0) sb.append(' ');
                sb.append(wordOccurrences.get(rnd.nextInt(wordOccurrences.size())));
            }
            String name = NameCleaner.clean(sb.toString());
            if (seen.add(name)) return name;
        }
    }
}
