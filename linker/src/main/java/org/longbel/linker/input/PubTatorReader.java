package org.longbel.linker.input;

import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;
import org.longbel.linker.text.PyStrings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads PubTator files, the format MedMentions ships:
 * <pre>
 * PMID|t|title
 * PMID|a|abstract
 * PMID&lt;TAB&gt;start&lt;TAB&gt;end&lt;TAB&gt;mention&lt;TAB&gt;T047,T048&lt;TAB&gt;C0011849   (or UMLS:C0011849)
 * (blank line between documents)
 * </pre>
 * Each document becomes a page with id = document_id = PMID and two passages, as MedMentions'
 * BigBio conversion does: the title at {@code [0, len(title))} and the abstract at
 * {@code [len(title) + 1, len(title) + 1 + len(abstract))}. An annotation's group is the group of its
 * first semantic type that the mapping knows; entity ids are {@code T1, T2, ...} in file order. The
 * concept field may hold several ids separated by {@code ,} or {@code |}, each with or without
 * {@code UMLS:}; each becomes one {@code normalized} entry (as BigBio's conversion does), so the
 * first is the gold {@code db_id} (reference spec §2), with no gold name. Lines may end in CRLF.
 */
public final class PubTatorReader {
    private static final String UMLS_PREFIX = "UMLS:";
    /** Several concept ids in one annotation: {@code C1,C2} (MedMentions style) or {@code C1|C2} (BC5CDR style). */
    private static final Pattern CONCEPT_SEPARATOR = Pattern.compile("[,|]");

    private final SemanticGroupMapping groups;

    /** A reader mapping semantic type ids to groups with {@code groups}. */
    public PubTatorReader(SemanticGroupMapping groups) {
        this.groups = groups;
    }

    /** Every document of {@code file}, in file order. */
    public List<Page> read(Path file) {
        return LocatedPage.pages(readLocated(file));
    }

    /** Every document of {@code file} with the line where it starts, in file order. */
    List<LocatedPage> readLocated(Path file) {
        try (BufferedReader in = Utf8Input.open(file)) {
            return documents(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every document read from {@code in}; {@code source} names it in messages. */
    public List<Page> read(BufferedReader in, String source) throws IOException {
        return LocatedPage.pages(documents(in, source));
    }

    private List<LocatedPage> documents(BufferedReader in, String source) throws IOException {
        List<LocatedPage> pages = new ArrayList<>();
        Builder doc = null;
        String line;
        int nr = 0;
        while ((line = in.readLine()) != null) {
            nr++;
            if (nr == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isBlank()) {
                if (doc != null) pages.add(doc.build());
                doc = null;
                continue;
            }
            String where = source + ":" + nr;
            int bar = line.indexOf('|');
            int tab = line.indexOf('\t');
            if (bar > 0 && (tab < 0 || bar < tab) && line.length() > bar + 2 && line.charAt(bar + 2) == '|') {
                String pmid = line.substring(0, bar);
                char kind = line.charAt(bar + 1);
                String text = line.substring(bar + 3);
                if (doc != null && !doc.pmid.equals(pmid)) {
                    pages.add(doc.build());
                    doc = null;
                }
                if (doc == null) doc = new Builder(pmid, where, nr);
                String ctx = where + ": document " + MessageText.quote(pmid);
                switch (kind) {
                    case 't' -> {
                        if (doc.title != null) throw new InputException(ctx + ": a second '|t|' (title) line");
                        doc.title = text;
                    }
                    case 'a' -> {
                        if (doc.abstractText != null) throw new InputException(ctx + ": a second '|a|' (abstract) line");
                        doc.abstractText = text;
                    }
                    default -> throw new InputException(ctx + ": expected '|t|' (title) or '|a|' (abstract), got "
                            + MessageText.quote("|" + kind + "|"));
                }
            } else if (tab > 0) {
                String[] f = line.split("\t", -1);
                if (doc == null || !doc.pmid.equals(f[0])) {
                    throw new InputException(where + ": annotation for document " + MessageText.quote(f[0])
                            + " does not follow that document's title and abstract lines");
                }
                doc.entities.add(annotation(f, where, doc));
            } else {
                throw new InputException(where + ": not a PubTator line (expected 'PMID|t|title', 'PMID|a|abstract' "
                        + "or a tab-separated annotation): " + MessageText.quote(line));
            }
        }
        if (doc != null) pages.add(doc.build());
        return pages;
    }

    private Entity annotation(String[] f, String where, Builder doc) {
        String id = "T" + (doc.entities.size() + 1);
        String ctx = where + ": document " + MessageText.quote(doc.pmid) + ", entity '" + id + "'";
        if (f.length < 5) {
            throw new InputException(ctx + ": expected PMID, start, end, mention, semantic types[, concept id] "
                    + "separated by tabs, got " + f.length + " fields");
        }
        int start = integer(f[1], ctx, "start");
        int end = integer(f[2], ctx, "end");
        String group = null;
        for (String tui : f[4].split(",")) {
            Optional<String> g = groups.group(tui);
            if (g.isPresent()) {
                group = g.get();
                break;
            }
        }
        if (group == null) {
            throw new InputException(ctx + ": field 'semantic types': none of " + MessageText.quote(f[4])
                    + " is in the semantic group mapping (pass a SemGroups-format mapping file)");
        }
        List<Normalization> gold = new ArrayList<>();
        if (f.length > 5) {
            for (String cui : CONCEPT_SEPARATOR.split(f[5], -1)) {
                cui = cui.strip();
                if (cui.startsWith(UMLS_PREFIX)) cui = cui.substring(UMLS_PREFIX.length()).strip();
                if (!cui.isEmpty()) gold.add(new Normalization("UMLS", cui, null));
            }
        }
        return new Entity(id, group, List.of(f[3]), List.of(new Span(start, end)), gold);
    }

    private static int integer(String s, String ctx, String field) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new InputException(ctx + ": field '" + field + "' is not a 32-bit integer: " + MessageText.quote(s));
        }
    }

    private static final class Builder {
        final String pmid;
        final String where;
        final int line;
        String title;
        String abstractText;
        final List<Entity> entities = new ArrayList<>();

        Builder(String pmid, String where, int line) {
            this.pmid = pmid;
            this.where = where;
            this.line = line;
        }

        LocatedPage build() {
            if (title == null) {
                throw new InputException(where + ": document " + MessageText.quote(pmid) + " has no '|t|' title line");
            }
            String abs = abstractText == null ? "" : abstractText;
            int titleLen = PyStrings.length(title);
            List<Passage> passages = List.of(
                    new Passage(title, 0, titleLen),
                    new Passage(abs, titleLen + 1, titleLen + 1 + PyStrings.length(abs)));
            return new LocatedPage(new Page(pmid, pmid, passages, entities), line);
        }
    }
}
