package org.longbel.linker.prompt;

import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;
import org.longbel.linker.text.PyStrings;
import org.longbel.linker.text.TextCleaner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a page into its mentions exactly as the reference's {@code parse_text} does (reference spec
 * §2), quirks included. A page without entities gives no mention.
 */
public final class MentionExtractor {
    /** Marker put before a mention span in its passage and at the start of the target. */
    public static final String START_ENTITY = "[";
    /** Marker put after a mention span and after the mention in the target. */
    public static final String END_ENTITY = "]";
    /** Opens the group in the target. */
    public static final String START_GROUP = "{";
    /** Closes the group in the target; the model's answer follows it. */
    public static final String END_GROUP = "}";

    private MentionExtractor() {
    }

    /** The mentions of {@code page}, sorted by (start, end), numbered from 1. */
    public static List<Mention> mentions(Page page) {
        List<String> cleaned = new ArrayList<>();
        for (Passage p : page.passages()) cleaned.add(TextCleaner.clean(p.text()));

        // QUIRK (same-key replacement): entities keyed by (global start, global end); a later entity
        // with the same key replaces the earlier one.
        Map<Key, Mention> byKey = new LinkedHashMap<>();
        for (int pi = 0; pi < page.passages().size(); pi++) {
            Passage passage = page.passages().get(pi);
            for (Entity entity : page.entities()) {
                int globalStart = entity.globalStart();
                if (!passage.containsStart(globalStart)) continue;
                int globalEnd = entity.globalEnd();
                String text = TextCleaner.clean(String.join(" ", entity.texts()));
                String context = context(cleaned, pi, markSpans(cleaned.get(pi), relativeSpans(entity, passage)));
                String target = START_ENTITY + text + END_ENTITY + START_GROUP + entity.type() + END_GROUP;
                Normalization gold = entity.normalized().isEmpty() ? null : entity.normalized().getFirst();
                byKey.put(new Key(globalStart, globalEnd), new Mention(page.id(), null, entity.id(), text,
                        entity.type(), globalStart, globalEnd, context, target,
                        gold == null ? null : gold.dbId(), gold == null ? null : gold.dbMatch()));
            }
        }
        List<Key> keys = new ArrayList<>(byKey.keySet());
        keys.sort(Comparator.comparingInt(Key::start).thenComparingInt(Key::end));
        List<Mention> mentions = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            mentions.add(byKey.get(keys.get(k)).withMentionId(page.id() + "." + (k + 1)));
        }
        return mentions;
    }

    /** Fragments of {@code entity} whose start lies in the passage, relative to it, sorted by start. */
    static List<Span> relativeSpans(Entity entity, Passage passage) {
        List<Span> spans = new ArrayList<>();
        for (Span s : entity.offsets()) {
            if (!passage.containsStart(s.start())) continue;
            spans.add(new Span(s.start() - passage.start(), s.end() - passage.start()));
        }
        spans.sort(Comparator.comparingInt(Span::start)); // stable, like Python's sort
        return spans;
    }

    /**
     * Inserts {@code [} and {@code ]} around each span. QUIRK (unshifted discontinuous markers): each
     * span is applied to the already-marked text with its original offsets, not shifted by the
     * markers inserted before it, so for a discontinuous entity the second pair lands two
     * characters early per earlier span.
     */
    static String markSpans(String passageText, List<Span> spans) {
        String marked = passageText;
        for (Span s : spans) {
            marked = PyStrings.slice(marked, 0, s.start()) + START_ENTITY
                    + PyStrings.slice(marked, s.start(), s.end()) + END_ENTITY
                    + PyStrings.sliceFrom(marked, s.end());
        }
        return marked;
    }

    /**
     * Puts the other cleaned passages around the marked one. QUIRK (reversed earlier passages): each
     * earlier passage is prepended in turn in increasing index order, so with three or more passages
     * the earlier ones end up in reverse order; later passages are appended in order.
     */
    static String context(List<String> cleaned, int index, String marked) {
        StringBuilder before = new StringBuilder();
        for (int i = 0; i < index; i++) before.insert(0, cleaned.get(i) + "\n");
        StringBuilder out = new StringBuilder(before).append(marked);
        for (int i = index + 1; i < cleaned.size(); i++) out.append('\n').append(cleaned.get(i));
        return out.toString();
    }

    private record Key(int start, int end) {
    }
}
