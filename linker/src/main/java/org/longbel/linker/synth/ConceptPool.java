package org.longbel.linker.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.longbel.kb.ConceptTable;
import org.longbel.kb.KbException;
import org.longbel.kb.KbSource;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.text.PyStrings;

/**
 * The concepts a synthetic corpus may mention: per chosen semantic group (in the knowledge base's order),
 * each code with its names, codes and names sorted, so that the same knowledge base gives the same concepts
 * whatever file it comes in (source or built trie, whose entry order differs). Which groups: by default the MedMentions ST21pv groups the knowledge base
 * has ({@link #ST21PV_GROUPS}); all of its groups when it has none of them, or when asked; or an explicit
 * list. Names that would not read as one run of text are left out: blank names, names with leading or
 * trailing whitespace, names holding control characters or line/paragraph separators.
 */
public final class ConceptPool {
    /** The 11 semantic groups of MedMentions ST21pv's 21 semantic types, as LongBEL's knowledge bases name them. */
    public static final Set<String> ST21PV_GROUPS = Set.of("Anatomy", "Chemicals & Drugs", "Concepts & Ideas",
            "Devices", "Disorders", "Living Beings", "Objects", "Occupations", "Organizations", "Physiology",
            "Procedures");

    /** One concept: a code of a group and its usable names (at least one), sorted. */
    public record Concept(String group, String code, List<String> names) {
        public Concept {
            names = List.copyOf(names);
        }
    }

    /**
     * Which groups to draw from.
     *
     * @param groups    explicit group names (each must be in the knowledge base); empty: decided by {@code all}
     * @param allGroups with no explicit groups: every group of the knowledge base, not only the ST21pv ones
     */
    public record GroupChoice(List<String> groups, boolean allGroups) {
        public GroupChoice {
            groups = List.copyOf(groups);
        }

        /** The ST21pv groups present in the knowledge base (all its groups when it has none of them). */
        public static GroupChoice st21pv() {
            return new GroupChoice(List.of(), false);
        }
    }

    private final List<Concept> concepts;
    private final List<String> groups;
    private final List<String> skippedGroups;
    private final long names;
    private final long unusableNames;

    private ConceptPool(List<Concept> concepts, List<String> groups, List<String> skippedGroups, long names, long unusableNames) {
        this.concepts = List.copyOf(concepts);
        this.groups = List.copyOf(groups);
        this.skippedGroups = List.copyOf(skippedGroups);
        this.names = names;
        this.unusableNames = unusableNames;
    }

    /**
     * Reads the knowledge base at {@code kb}: a built {@code .trie} file, or any source the {@code kb} module
     * reads ({@code text_to_code.json}, {@code code<TAB>name<TAB>group} TSV, a UMLS directory).
     */
    public static ConceptPool read(Path kb, GroupChoice choice) {
        String where = kb.toString();
        if (kb.getFileName() != null && kb.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".trie")) {
            try (KnowledgeBase base = KnowledgeBase.open(kb)) {
                return of(base, choice, where);
            }
        }
        return of(KbSource.detect(kb).read(), choice, where);
    }

    /** The concepts of a source table; {@code where} names it in messages. */
    public static ConceptPool of(ConceptTable table, GroupChoice choice, String where) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (String g : table.groups()) byGroup.put(g, table.names(g));
        return of(byGroup, choice, where);
    }

    /** The concepts of a built knowledge base (trie file); {@code where} names it in messages. */
    public static ConceptPool of(KnowledgeBase kb, GroupChoice choice, String where) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (String g : kb.groups()) {
            Map<String, String> names = new LinkedHashMap<>();
            for (int e = 0, n = kb.entryCount(g); e < n; e++) {
                KnowledgeBase.Entry entry = kb.entry(g, e);
                names.put(entry.name(), entry.code());
            }
            byGroup.put(g, names);
        }
        return of(byGroup, choice, where);
    }

    /**
     * The concepts of {@code byGroup} (group to name to code, in order).
     *
     * @throws KbException when a requested group is absent, or the chosen groups hold no usable name
     */
    public static ConceptPool of(Map<String, Map<String, String>> byGroup, GroupChoice choice, String where) {
        List<String> kbGroups = List.copyOf(byGroup.keySet());
        List<String> chosen = new ArrayList<>();
        if (!choice.groups().isEmpty()) {
            for (String g : choice.groups()) {
                if (!byGroup.containsKey(g)) throw new KbException("knowledge base " + where + " has no group \"" + g + "\" (it has " + kbGroups + ")");
                if (!chosen.contains(g)) chosen.add(g);
            }
        } else {
            for (String g : kbGroups) if (choice.allGroups() || ST21PV_GROUPS.contains(g)) chosen.add(g);
            if (chosen.isEmpty()) chosen.addAll(kbGroups);   // not an ST21pv KB: use what it has
        }
        List<Concept> concepts = new ArrayList<>();
        List<String> used = new ArrayList<>();
        long names = 0, unusable = 0;
        for (String g : chosen) {
            Map<String, List<String>> byCode = new TreeMap<>();
            for (Map.Entry<String, String> e : byGroup.get(g).entrySet()) {
                if (!usable(e.getKey())) {
                    unusable++;
                    continue;
                }
                byCode.computeIfAbsent(e.getValue(), c -> new ArrayList<>()).add(e.getKey());
                names++;
            }
            if (byCode.isEmpty()) continue;
            used.add(g);
            byCode.forEach((code, list) -> concepts.add(new Concept(g, code, list.stream().sorted().toList())));
        }
        if (concepts.isEmpty()) {
            throw new KbException("knowledge base " + where + " has no usable concept name"
                    + (kbGroups.isEmpty() ? " (it has no group)" : " in groups " + chosen));
        }
        List<String> skipped = kbGroups.stream().filter(g -> !used.contains(g)).toList();
        return new ConceptPool(concepts, used, skipped, names, unusable);
    }

    /** Whether {@code name} can stand in a text as it is: not blank, no surrounding whitespace, no control, line-breaking or lone surrogate character. */
    static boolean usable(String name) {
        if (name.isEmpty() || !PyStrings.strip(name).equals(name)) return false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) return false;
            i += Character.charCount(cp);
        }
        return true;
    }

    /** The concepts, group by group in the knowledge base's order, by code within a group. */
    public List<Concept> concepts() {
        return concepts;
    }

    /** The groups drawn from (those with at least one usable name), in the knowledge base's order. */
    public List<String> groups() {
        return groups;
    }

    /** The knowledge base's groups not drawn from (not chosen, or without a usable name). */
    public List<String> skippedGroups() {
        return skippedGroups;
    }

    /** Usable names over the chosen groups. */
    public long names() {
        return names;
    }

    /** Names of the chosen groups left out as unusable. */
    public long unusableNames() {
        return unusableNames;
    }
}
