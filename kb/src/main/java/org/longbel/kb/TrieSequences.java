package org.longbel.kb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The token sequences of a group's trie, built exactly as the reference builds them (spec §5):
 * tokenize {@code "} " + name} with BOS, drop the BOS, append EOS unless it is already last.
 * Sequences are packed into one int array with offsets, so millions of names cost no per-name objects.
 */
public final class TrieSequences {
    private final int[] tokens;
    private final int[] offsets;

    private TrieSequences(int[] tokens, int[] offsets) {
        this.tokens = tokens;
        this.offsets = offsets;
    }

    /** The prefix every sequence is built from: the group's closing brace and a space. */
    private static final String NAME_PREFIX = "} ";

    /** The trie sequence of one (already cleaned) name. */
    public static int[] sequence(NameEncoder encoder, String cleanedName) {
        int[] ids = encoder.encodeWithSpecialTokens(NAME_PREFIX + cleanedName);
        int from = ids.length > 0 && encoder.bosId() >= 0 && ids[0] == encoder.bosId() ? 1 : 0;
        int eos = encoder.eosId();
        boolean endsWithEos = ids.length > from && ids[ids.length - 1] == eos;
        int[] seq = Arrays.copyOfRange(ids, from, endsWithEos ? ids.length : ids.length + 1);
        if (!endsWithEos) seq[seq.length - 1] = eos;
        return seq;
    }

    /** Encodes every name (in order) on {@code threads} threads of a private pool. */
    public static TrieSequences encode(List<String> cleanedNames, NameEncoder encoder, int threads) {
        int n = cleanedNames.size();
        int[][] seqs = new int[n][];
        int workers = Math.max(1, Math.min(threads, n / 256 + 1));
        if (workers == 1) {
            for (int i = 0; i < n; i++) seqs[i] = sequence(encoder, cleanedNames.get(i));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "kb-tokenize");
                t.setDaemon(true);
                return t;
            });
            try {
                int chunk = 4096;
                List<Future<?>> parts = new ArrayList<>();
                for (int start = 0; start < n; start += chunk) {
                    int from = start, to = Math.min(n, start + chunk);
                    parts.add(pool.submit(() -> {
                        for (int i = from; i < to; i++) seqs[i] = sequence(encoder, cleanedNames.get(i));
                    }));
                }
                for (Future<?> f : parts) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KbException("interrupted while tokenizing names", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new KbException("tokenizing names failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return pack(seqs);
    }

    /** Packs already built sequences (releasing each as it is copied). */
    private static TrieSequences pack(int[][] seqs) {
        long total = 0;
        for (int[] s : seqs) total += s.length;
        if (total > Integer.MAX_VALUE - 8) throw new KbException("too many tokens in one group (" + total + "); split the group");
        int[] tokens = new int[(int) total];
        int[] offsets = new int[seqs.length + 1];
        int at = 0;
        for (int i = 0; i < seqs.length; i++) {
            System.arraycopy(seqs[i], 0, tokens, at, seqs[i].length);
            at += seqs[i].length;
            offsets[i + 1] = at;
            seqs[i] = null;
        }
        return new TrieSequences(tokens, offsets);
    }

    /** Number of sequences. */
    public int size() {
        return offsets.length - 1;
    }

    /** Length in tokens of sequence {@code i}. */
    public int length(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Token at {@code position} of sequence {@code i}. */
    public int token(int i, int position) {
        return tokens[offsets[i] + position];
    }

    /** Number of tokens over all sequences. */
    public long totalTokens() {
        return tokens.length;
    }

    /** Lexicographic comparison of sequences {@code a} and {@code b} (a proper prefix sorts first). */
    int compare(int a, int b) {
        return Arrays.compare(tokens, offsets[a], offsets[a + 1], tokens, offsets[b], offsets[b + 1]);
    }
}
