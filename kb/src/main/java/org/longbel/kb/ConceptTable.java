package org.longbel.kb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The concepts of a knowledge-base source before tokenization: per semantic group, cleaned name to code,
 * in first-seen order. A name seen again in the same group keeps its place and takes the later code,
 * like the reference's Python dict; such conflicts are counted and the first few kept as examples.
 */
public final class ConceptTable {
    /** How many conflict examples are kept for the report. */
    public static final int MAX_CONFLICT_EXAMPLES = 20;

    /** A name given two different codes in one group: {@code keptCode} (the later one) wins. */
    public record Conflict(String group, String name, String droppedCode, String keptCode, String where) {}

    private final Map<String, LinkedHashMap<String, String>> groups;
    private final long conflicts;
    private final long duplicates;
    private final List<Conflict> conflictExamples;

    private ConceptTable(Builder b) {
        this.groups = b.groups;
        this.conflicts = b.conflicts;
        this.duplicates = b.duplicates;
        this.conflictExamples = List.copyOf(b.examples);
    }

    /** Group names in first-seen order. */
    public List<String> groups() {
        return List.copyOf(groups.keySet());
    }

    /** Cleaned name to code for one group, in first-seen order (unmodifiable). */
    public Map<String, String> names(String group) {
        LinkedHashMap<String, String> names = groups.get(group);
        if (names == null) throw new UnknownGroupException(group, groups());
        return Collections.unmodifiableMap(names);
    }

    /** Number of distinct (group, name) entries. */
    public long size() {
        long n = 0;
        for (Map<String, String> m : groups.values()) n += m.size();
        return n;
    }

    /** Entries that repeated a (group, name) with a different code; the later code was kept. */
    public long conflicts() {
        return conflicts;
    }

    /** Entries that repeated a (group, name) with the same code. */
    public long duplicates() {
        return duplicates;
    }

    /** The first {@link #MAX_CONFLICT_EXAMPLES} conflicts. */
    public List<Conflict> conflictExamples() {
        return conflictExamples;
    }

    /** Collects entries from a reader; validates and cleans each name. Not thread-safe. */
    public static final class Builder {
        private final Map<String, LinkedHashMap<String, String>> groups = new LinkedHashMap<>();
        private final List<Conflict> examples = new ArrayList<>();
        private long conflicts;
        private long duplicates;

        /** Declares a group, so that it exists even if no name is added to it. */
        public Builder group(String group) {
            groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
            return this;
        }

        /**
         * Adds one entry. {@code file}, {@code line} and {@code column} (0 when not meaningful) only
         * serve error messages and conflict reports.
         *
         * @throws KbException for an empty group, code or name, or a name that cleans to blank
         */
        public Builder add(String group, String name, String code, String file, long line, long column) {
            if (group == null || group.isBlank()) throw new KbException(where(file, line, column) + ": empty semantic group");
            if (name == null || name.isEmpty()) {
                throw new KbException(where(file, line, column) + ": empty concept name (group \"" + group + "\", code \"" + code + "\")");
            }
            if (code == null || code.isBlank()) {
                throw new KbException(where(file, line, column) + ": empty concept code for name \"" + name + "\" (group \"" + group + "\")");
            }
            String cleaned = NameCleaner.clean(name);
            if (cleaned.isBlank()) {
                throw new KbException(where(file, line, column) + ": concept name " + quoteEscaped(name)
                        + " (code \"" + code + "\") is blank after cleaning");
            }
            String previous = groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(cleaned, code);
            if (previous != null) {
                if (previous.equals(code)) {
                    duplicates++;
                } else {
                    conflicts++;
                    if (examples.size() < MAX_CONFLICT_EXAMPLES) {
                        examples.add(new Conflict(group, cleaned, previous, code, where(file, line, column)));
                    }
                }
            }
            return this;
        }

        /** The table of the entries added so far. */
        public ConceptTable build() {
            return new ConceptTable(this);
        }

        static String where(String file, long line, long column) {
            return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
        }

        private static String quoteEscaped(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c < 0x20 || c == '\u00A0') sb.append(String.format("\\u%04X", (int) c));
                else sb.append(c);
            }
            return sb.append('"').toString();
        }
    }
}
