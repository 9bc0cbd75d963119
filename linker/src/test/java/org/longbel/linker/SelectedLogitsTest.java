package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.core.LogitRow;
import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.TokenTrie;
import org.longbel.linker.document.Page;
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.IntRange;
import org.longbel.linker.synth.SyntheticCorpus;

/**
 * The scheduler asks the forward for only the constraint's allowed tokens of each row of a deterministic
 * constrained search ({@link CausalLM#forwardSelected}), whole rows otherwise, and links exactly as with whole rows.
 */
class SelectedLogitsTest {
    private static final String KB = "kb/umls_names_sample_text_to_code.json";
    private static final SampleOptions BEAMS = SampleOptions.defaults().withDeterministic(true).withMaxNewTokens(24);
    private static List<Page> pages;
    /** Per token: the sorted child sets of every trie node entered through that token (any group). */
    private static final Map<Integer, Set<List<Integer>>> childSets = new HashMap<>();
    private static int eos;

    @BeforeAll
    static void corpus() {
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(KB), Fixtures.tinyModel())) {
            pages = new SyntheticCorpus(ConceptPool.of(kb, ConceptPool.GroupChoice.st21pv(), KB),
                    CorpusShape.defaults().withMentions(new IntRange(2, 4)).withWords(new IntRange(60, 90)).withSeed(5))
                    .generate(3);
            eos = kb.eosId();
            for (String group : kb.groups()) {
                TokenTrie trie = kb.trie(group);
                Deque<Integer> todo = new ArrayDeque<>(List.of(trie.root()));
                while (!todo.isEmpty()) {
                    int node = todo.pop();
                    for (int i = 0; i < trie.childCount(node); i++) {
                        int token = trie.childToken(node, i);
                        int child = trie.child(node, token);
                        List<Integer> children = new ArrayList<>();
                        for (int j = 0; j < trie.childCount(child); j++) children.add(trie.childToken(child, j));
                        childSets.computeIfAbsent(token, k -> new HashSet<>()).add(children);
                        todo.push(child);
                    }
                }
            }
        }
    }

    /** Records what each forward asks for and passes it on (a wrapper must delegate forwardSelected itself). */
    static final class Recording extends DelegatingModel {
        /** Per logit row: the token fed at that position and the ids asked for (null: whole row). */
        final List<int[]> fed = Collections.synchronizedList(new ArrayList<>());
        final List<int[]> asked = Collections.synchronizedList(new ArrayList<>());
        int selectedRowsBack;

        Recording(CausalLM inner) {
            super(inner);
        }

        @Override
        public float[][][] forward(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices) {
            throw new AssertionError("the scheduler should call forwardSelected");
        }

        @Override
        public LogitRow[][] forwardSelected(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices, int[][][] select) {
            for (int i = 0; i < seqs.length; i++) {
                for (int j = 0; j < logitIndices[i].length; j++) {
                    fed.add(new int[] {tokens[i][logitIndices[i][j]]});
                    asked.add(select[i][j]);
                }
            }
            LogitRow[][] out = inner.forwardSelected(cache, seqs, tokens, logitIndices, select);
            for (LogitRow[] rows : out) for (LogitRow r : rows) if (!r.isDense()) selectedRowsBack++;
            return out;
        }
    }

    /** Ignores the selections: whole rows come back (as from a backend that cannot select). */
    static final class Dense extends DelegatingModel {

        Dense(CausalLM inner) {
            super(inner);
        }

        @Override
        public LogitRow[][] forwardSelected(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices, int[][][] select) {
            float[][][] rows = inner.forward(cache, seqs, tokens, logitIndices);
            LogitRow[][] out = new LogitRow[rows.length][];
            for (int i = 0; i < rows.length; i++) out[i] = Arrays.stream(rows[i]).map(LogitRow::dense).toArray(LogitRow[]::new);
            return out;
        }
    }

    private static LongBelOptions options() {
        return LongBelOptions.defaults().withComputeThreads(1).withKnowledgeBase(Fixtures.path(KB)).withKbCacheDir(null)
                .withDocumentsInFlight(3);
    }

    private static List<String> run(SampleOptions sample, boolean dense, Recording[] record) {
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options(),
                m -> dense ? new Dense(m) : (record[0] = new Recording(m)))) {
            return SchedulerEquivalenceTest.lines(longBel.sample(pages, sample));
        }
    }

    @Test
    void constrainedBeamSearchRowsAskForTheTrieChildrenAndLinkAsWithWholeRows() {
        Recording[] record = new Recording[1];
        List<String> selected = run(BEAMS, false, record);
        List<String> whole = run(BEAMS, true, new Recording[1]);
        assertEquals(whole, selected);
        assertFalse(selected.isEmpty());

        Recording r = record[0];
        assertTrue(r.asked.size() > 20, "rows " + r.asked.size());
        assertEquals(r.asked.size(), r.selectedRowsBack, "every row came back selected");
        int inside = 0;
        for (int i = 0; i < r.asked.size(); i++) {
            int[] ids = r.asked.get(i);
            int token = r.fed.get(i)[0];
            List<Integer> asked = Arrays.stream(ids).boxed().toList();
            boolean endOnly = ids.length <= 2 && asked.contains(eos);
            if (!endOnly) inside++;
            assertTrue(endOnly || childSets.getOrDefault(token, Set.of()).contains(asked),
                    "row " + i + " after token " + token + " asked for " + asked + ", not the children of a trie node");
        }
        assertTrue(inside > r.asked.size() / 2, inside + " of " + r.asked.size() + " rows inside the names");
    }

    @Test
    void unconstrainedRowsAreWhole() {
        Recording[] record = new Recording[1];
        SampleOptions unconstrained = BEAMS.withConstrained(false).withMaxNewTokens(6);
        List<String> selected = run(unconstrained, false, record);
        assertEquals(run(unconstrained, true, new Recording[1]), selected);
        assertFalse(record[0].asked.isEmpty());
        for (int[] ids : record[0].asked) assertNull(ids);
        assertEquals(0, record[0].selectedRowsBack);
    }

    @Test
    void sampledBeamsLinkAsWithWholeRows() {
        SampleOptions sampled = BEAMS.withDeterministic(false).withMaxNewTokens(12);
        assertEquals(run(sampled, true, new Recording[1]), run(sampled, false, new Recording[1]));
    }
}
