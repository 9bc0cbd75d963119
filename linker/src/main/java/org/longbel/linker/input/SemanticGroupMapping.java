package org.longbel.linker.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * UMLS semantic type (TUI) to semantic group name, read from the UMLS SemGroups format: one
 * {@code ABBR|Group name|TUI|Type name} per line. The bundled default covers the 21 types of
 * MedMentions ST21pv, with the group names LongBEL's knowledge bases use ({@code Disorders},
 * {@code Chemicals & Drugs}, ...).
 */
public final class SemanticGroupMapping {
    private static final String ST21PV = "semgroups_st21pv.txt";

    private final Map<String, String> groupByTui;

    private SemanticGroupMapping(Map<String, String> groupByTui) {
        this.groupByTui = Map.copyOf(groupByTui);
    }

    /** The ST21pv mapping bundled with the linker. */
    public static SemanticGroupMapping st21pv() {
        try (InputStream in = SemanticGroupMapping.class.getResourceAsStream(ST21PV)) {
            if (in == null) throw new IllegalStateException("resource " + ST21PV + " missing from the linker jar");
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), ST21PV);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mapping file in SemGroups format ({@code ABBR|Group name|TUI|Type name}). */
    public static SemanticGroupMapping fromFile(Path file) {
        try (BufferedReader in = Utf8Input.open(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static SemanticGroupMapping parse(BufferedReader in, String source) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String line;
        int nr = 0;
        while ((line = in.readLine()) != null) {
            nr++;
            if (line.isBlank()) continue;
            String[] f = line.split("\\|", -1);
            if (f.length < 3 || f[1].isBlank() || f[2].isBlank()) {
                throw new InputException(source + ":" + nr
                        + ": expected 'ABBR|Group name|TUI|Type name', got " + MessageText.quote(line));
            }
            String tui = f[2].strip();
            String group = f[1].strip();
            String earlier = map.putIfAbsent(tui, group);
            if (earlier != null && !earlier.equals(group)) {
                throw new InputException(source + ":" + nr + ": field 'TUI': " + MessageText.quote(tui)
                        + " is mapped to " + MessageText.quote(group) + " here but to " + MessageText.quote(earlier)
                        + " on line " + lineOf.get(tui));
            }
            lineOf.putIfAbsent(tui, nr);
        }
        if (map.isEmpty()) throw new InputException(source + ": no semantic type mapping in the file");
        return new SemanticGroupMapping(map);
    }

    /** The group of a semantic type id such as {@code T047}. */
    public Optional<String> group(String tui) {
        return Optional.ofNullable(groupByTui.get(tui.strip()));
    }

    /** Number of semantic types mapped. */
    public int size() {
        return groupByTui.size();
    }
}
