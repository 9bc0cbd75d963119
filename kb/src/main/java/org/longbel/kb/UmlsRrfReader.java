package org.longbel.kb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads concept names from a UMLS release: {@code MRCONSO.RRF} (names), {@code MRSTY.RRF} (semantic
 * types of each CUI) and a semantic-group file in the standard SemGroups format
 * ({@code ABBR|Group name|TUI|Type name}). A CUI's names go to every group of its semantic types; the
 * group is named by the SemGroups "Group name" (e.g. {@code Chemicals & Drugs}), the code is the CUI.
 */
public final class UmlsRrfReader {
    /** MRCONSO.RRF: 18 fields, each followed by '|'. */
    static final int MRCONSO_FIELDS = 18;
    /** MRSTY.RRF: 6 fields, each followed by '|'. */
    static final int MRSTY_FIELDS = 6;
    private static final int CUI = 0, LAT = 1, STR = 14, SUPPRESS = 16;

    /**
     * What to read.
     *
     * @param languages            MRCONSO LAT values to keep (e.g. {@code ENG}); empty keeps every language
     * @param includeSuppressible  keep names whose SUPPRESS is not {@code N} (obsolete, suppressible)
     * @param groups               group names or abbreviations to keep; empty keeps every group
     */
    public record Options(Path mrconso, Path mrsty, Path semGroups, Set<String> languages,
                          boolean includeSuppressible, Set<String> groups) {
        public Options {
            languages = Set.copyOf(languages);
            groups = Set.copyOf(groups);
        }

        /** English, non-suppressible names of every group: the usual choice. */
        public static Options defaults(Path mrconso, Path mrsty, Path semGroups) {
            return new Options(mrconso, mrsty, semGroups, Set.of("ENG"), false, Set.of());
        }

        /** A stable text form of the filters, stored in a built trie file (read back by {@link #parse}). */
        public String describe() {
            return "languages=" + String.join(",", new TreeSet<>(languages)) + "\nincludeSuppressible=" + includeSuppressible
                    + "\ngroups=" + String.join("\t", new TreeSet<>(groups));
        }

        /** The options {@link #describe} wrote, for the given files. */
        public static Options parse(String described, Path mrconso, Path mrsty, Path semGroups) {
            String[] lines = described.split("\n", -1);
            if (lines.length != 3 || !lines[0].startsWith("languages=") || !lines[1].startsWith("includeSuppressible=")
                    || !lines[2].startsWith("groups=")) {
                throw new KbException("unreadable UMLS reader options \"" + described.replace("\n", "\\n") + "\"");
            }
            return new Options(mrconso, mrsty, semGroups, split(lines[0].substring(10), ","),
                    Boolean.parseBoolean(lines[1].substring(20)), split(lines[2].substring(7), "\t"));
        }

        private static Set<String> split(String s, String sep) {
            return s.isEmpty() ? Set.of() : Set.of(s.split(sep));
        }
    }

    private UmlsRrfReader() {}

    /** Reads the release into a new table. */
    public static ConceptTable read(Options options) {
        Map<String, Integer> groupMaskOfTui = new HashMap<>();
        List<String> groupNames = readSemGroups(options, groupMaskOfTui);
        Map<String, Integer> groupMaskOfCui = readSemanticTypes(options.mrsty(), groupMaskOfTui);
        ConceptTable.Builder table = new ConceptTable.Builder();
        readNames(options, groupMaskOfCui, groupNames, table);
        return table.build();
    }

    /**
     * The kept group names (filtered by the options), in first-seen order, and for each TUI the bit mask of its
     * groups (bit g: group g of the returned list). A TUI listed under two groups belongs to both.
     */
    private static List<String> readSemGroups(Options options, Map<String, Integer> groupMaskOfTui) {
        Path file = options.semGroups();
        Map<String, Integer> index = new LinkedHashMap<>();
        Set<String> requested = new HashSet<>(options.groups());
        forEachLine(file, (line, lineNr) -> {
            String[] f = line.split("\\|", -1);
            if (f.length != 4) {
                throw new KbException(file + ":" + lineNr + ": expected 4 '|'-separated fields (ABBR|Group name|TUI|Type name), found " + f.length);
            }
            String abbr = f[0].strip(), group = f[1].strip(), tui = f[2].strip();
            if (group.isEmpty()) throw new KbException(file + ":" + lineNr + ": empty group name (field 2 of ABBR|Group name|TUI|Type name)");
            if (tui.isEmpty()) throw new KbException(file + ":" + lineNr + ": empty semantic type (field 3 of ABBR|Group name|TUI|Type name)");
            requested.remove(group);
            requested.remove(abbr);
            if (!options.groups().isEmpty() && !options.groups().contains(group) && !options.groups().contains(abbr)) return;
            int g = index.computeIfAbsent(group, k -> index.size());
            if (g >= Integer.SIZE) throw new KbException(file + ":" + lineNr + ": more than " + Integer.SIZE + " semantic groups");
            groupMaskOfTui.merge(tui, 1 << g, (a, b) -> a | b);
        });
        if (!requested.isEmpty()) {
            throw new KbException(file + ": the groups to keep " + String.join(", ", new TreeSet<>(requested))
                    + " are neither a group name nor an abbreviation in this file");
        }
        return new ArrayList<>(index.keySet());
    }

    private static Map<String, Integer> readSemanticTypes(Path mrsty, Map<String, Integer> groupMaskOfTui) {
        Map<String, Integer> mask = new HashMap<>();
        forEachLine(mrsty, (line, lineNr) -> {
            String[] f = fields(line, MRSTY_FIELDS, mrsty, lineNr);
            Integer groups = groupMaskOfTui.get(f[1]);
            if (groups != null) mask.merge(f[0], groups, (a, b) -> a | b);
        });
        return mask;
    }

    private static void readNames(Options options, Map<String, Integer> groupMaskOfCui, List<String> groupNames,
                                  ConceptTable.Builder table) {
        String file = options.mrconso().toString();
        forEachLine(options.mrconso(), (line, lineNr) -> {
            String[] f = fields(line, MRCONSO_FIELDS, options.mrconso(), lineNr);
            if (!options.languages().isEmpty() && !options.languages().contains(f[LAT])) return;
            if (!options.includeSuppressible() && !"N".equals(f[SUPPRESS])) return;
            Integer mask = groupMaskOfCui.get(f[CUI]);
            if (mask == null) return;
            for (int g = 0; g < groupNames.size(); g++) {
                if ((mask & (1 << g)) != 0) table.add(groupNames.get(g), f[STR], f[CUI], file, lineNr, 0);
            }
        });
    }

    /** Splits an RRF line of {@code n} '|'-terminated fields; the wrong count is an error naming file and line. */
    static String[] fields(String line, int n, Path file, long lineNr) {
        String[] f = line.split("\\|", -1);
        if (f.length != n + 1 || !f[n].isEmpty()) {
            int found = f[f.length - 1].isEmpty() ? f.length - 1 : f.length;
            throw new KbException(file + ":" + lineNr + ": expected " + n + " '|'-terminated fields, found " + found
                    + (f[f.length - 1].isEmpty() ? "" : " (the line does not end with '|')"));
        }
        return f;
    }

    private interface LineHandler {
        void accept(String line, long lineNr);
    }

    private static void forEachLine(Path file, LineHandler handler) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNr = 0;
            while ((line = in.readLine()) != null) {
                lineNr++;
                if (!line.isEmpty()) handler.accept(line, lineNr);
            }
        } catch (CharacterCodingException e) {
            throw InvalidUtf8.in(file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
