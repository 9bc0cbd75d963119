package org.longbel.linker.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;
import org.longbel.linker.text.PyStrings;

/**
 * Generates synthetic pages shaped like MedMentions ST21pv (see {@link CorpusShape}) whose mentions are
 * knowledge-base names ({@link ConceptPool}). Each page {@code synth-0001}, {@code synth-0002}, ... has two
 * passages, a title and an abstract starting one character after it (PubTator's layout), and one entity
 * per mention: {@code type} the concept's group, one fragment whose {@code text} is exactly the text at its
 * offsets, {@code normalized} {@code [{db_name: "UMLS", db_id: code, db_match: name}]}. Entities are in
 * document order, {@code T1}, {@code T2}, ...
 *
 * <p>Deterministic: page {@code i} depends only on the seed, the pool and the shape, so the first pages
 * of a larger corpus are the pages of a smaller one with the same settings. Mentions never overlap or
 * touch, so each is its own mention for the linker.
 */
public final class SyntheticCorpus {
    /** The {@code db_name} of every gold concept. */
    public static final String DB_NAME = "UMLS";
    /** Page ids are this prefix and a 1-based number of at least 4 digits. */
    public static final String ID_PREFIX = "synth-";

    private final ConceptPool pool;
    private final CorpusShape shape;

    public SyntheticCorpus(ConceptPool pool, CorpusShape shape) {
        this.pool = pool;
        this.shape = shape;
    }

    /** {@code docs} pages (at least 1). */
    public List<Page> generate(int docs) {
        if (docs < 1) throw new IllegalArgumentException("the number of documents must be at least 1, got " + docs);
        SplittableRandom seeds = new SplittableRandom(shape.seed());
        List<Page> pages = new ArrayList<>(docs);
        for (int i = 0; i < docs; i++) pages.add(page(i, docs, seeds.split()));
        return pages;
    }

    /** The id of page {@code index} (0-based) of a corpus of {@code docs} pages: {@code synth-0001} and so on. */
    public static String pageId(int index, int docs) {
        int width = Math.max(4, Integer.toString(docs).length());
        return ID_PREFIX + String.format("%0" + width + "d", index + 1);
    }

    private Page page(int index, int docs, SplittableRandom rnd) {
        String id = pageId(index, docs);
        int k = shape.mentions().draw(rnd);
        int wordTarget = shape.words().draw(rnd);
        int titleTarget = Math.clamp(shape.titleWords().draw(rnd), 1, wordTarget / 2);
        List<PlannedMention> planned = MentionPlanner.plan(pool, k, shape, rnd);
        // the title takes its share of the mentions, rounded at random so that the share holds on average
        int inTitle = (int) Math.min(k, Math.floor((double) k * titleTarget / wordTarget + rnd.nextDouble()));
        PassageText title = PassageText.build(planned.subList(0, inTitle), titleTarget, false, rnd);
        PassageText body = PassageText.build(planned.subList(inTitle, k), Math.max(1, wordTarget - title.words()), true, rnd);

        int titleEnd = PyStrings.length(title.text());
        int bodyStart = titleEnd + 1;
        List<Passage> passages = List.of(new Passage(title.text(), 0, titleEnd),
                new Passage(body.text(), bodyStart, bodyStart + PyStrings.length(body.text())));
        List<Entity> entities = new ArrayList<>(k);
        addEntities(entities, title, 0);
        addEntities(entities, body, bodyStart);
        return new Page(id, id, passages, entities);
    }

    private static void addEntities(List<Entity> entities, PassageText passage, int offset) {
        for (PassageText.Placed p : passage.spans()) {
            PlannedMention m = p.mention();
            entities.add(new Entity("T" + (entities.size() + 1), m.concept().group(), List.of(m.name()),
                    List.of(new Span(offset + p.start(), offset + p.end())),
                    List.of(new Normalization(DB_NAME, m.concept().code(), m.name()))));
        }
    }
}
