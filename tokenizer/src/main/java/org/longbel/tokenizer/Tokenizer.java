package org.longbel.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A Hugging Face {@code tokenizer.json} pipeline for byte-level BPE tokenizers such as Llama 3's,
 * giving the same ids as Hugging Face's own (Rust) tokenizers library.
 *
 * <p>Encoding runs the stages of that library in order: added tokens are cut out of the text
 * ({@link AddedTokenSplitter}); each stretch between them is split into pre-tokens by the Llama-3
 * pattern ({@link Llama3Splitter}); each pre-token's UTF-8 bytes are encoded by the BPE model
 * ({@link BpeModel}); the post-processor's template adds BOS when special tokens are requested.
 * Decoding maps ids back to bytes (ByteLevel decoder) and reads them as UTF-8, malformed sequences
 * becoming U+FFFD. Text containing unpaired surrogates is encoded as if each were U+FFFD, as in Rust.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Tokenizer {
    private final Vocabulary vocabulary;
    private final AddedTokenSplitter addedTokens;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final TemplatePostProcessor postProcessor;
    private final int bos, eos, pad;
    private final boolean cleanUpTokenizationSpaces;
    private final Object poolLock = new Object();
    private ExecutorService pool; // created on the first parallel encodeBatch without an executor

    Tokenizer(Vocabulary vocabulary, AddedTokenSplitter addedTokens, PreTokenizer preTokenizer, BpeModel model,
              TemplatePostProcessor postProcessor, int bos, int eos, int pad, boolean cleanUpTokenizationSpaces) {
        this.vocabulary = vocabulary;
        this.addedTokens = addedTokens;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
    }

    /**
     * Loads {@code dir/tokenizer.json} (and {@code dir/tokenizer_config.json} when present).
     *
     * @throws TokenizerException when a file is missing, malformed, or uses a component we do not implement
     */
    public static Tokenizer fromDirectory(Path dir) {
        return fromFile(dir.resolve("tokenizer.json"));
    }

    /**
     * Loads a tokenizer.json file; the sibling tokenizer_config.json is read when present.
     *
     * @throws TokenizerException when a file is missing, malformed, or uses a component we do not implement
     */
    public static Tokenizer fromFile(Path tokenizerJson) {
        return TokenizerLoader.load(tokenizerJson);
    }

    /**
     * The ids of a text. With {@code addSpecialTokens}, the post-processor's template is applied (BOS
     * first for Llama 3); added tokens typed in the text are recognised either way.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens, new Scratch());
    }

    private int[] encode(String text, boolean addSpecialTokens, Scratch scratch) {
        Objects.requireNonNull(text, "text");
        String clean = Utf16.replaceLoneSurrogates(text);
        IntList out = new IntList(clean.length() / 3 + 4);
        if (addSpecialTokens) out.addAll(postProcessor.prefix());
        PreTokenizer.Sink word = (start, end) -> {
            scratch.bytes = Utf16.encodeUtf8(clean, start, end, scratch.bytes, scratch.length);
            model.encodeWord(scratch.bytes, scratch.length[0], out, scratch.bpe);
        };
        addedTokens.split(clean, (start, end, token) -> {
            if (token != null) out.add(token.id());
            else preTokenizer.split(clean, start, end, word);
        });
        if (addSpecialTokens) out.addAll(postProcessor.suffix());
        return out.toArray();
    }

    /**
     * Encodes texts in parallel on a bounded pool owned by this tokenizer (one daemon thread per
     * processor, idle threads end after a few seconds). Results are in input order and identical to
     * {@link #encode}.
     */
    public List<int[]> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        int threads = Runtime.getRuntime().availableProcessors();
        if (texts.size() < 2 || threads < 2) return encodeBatch(texts, addSpecialTokens, Runnable::run);
        return encodeBatch(texts, addSpecialTokens, ownPool(threads));
    }

    /**
     * Encodes texts in parallel on the given executor, in contiguous chunks (a few per processor).
     * Results are in input order and identical to {@link #encode}.
     */
    public List<int[]> encodeBatch(List<String> texts, boolean addSpecialTokens, Executor executor) {
        int n = texts.size();
        int[][] results = new int[n][];
        int chunks = Math.min(n, Runtime.getRuntime().availableProcessors() * 4);
        List<CompletableFuture<Void>> futures = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            futures.add(CompletableFuture.runAsync(() -> {
                Scratch scratch = new Scratch();
                for (int i = from; i < to; i++) results[i] = encode(texts.get(i), addSpecialTokens, scratch);
            }, executor));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
        return List.of(results);
    }

    private Executor ownPool(int threads) {
        synchronized (poolLock) {
            if (pool == null) {
                ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "tokenizer-encode");
                    t.setDaemon(true);
                    return t;
                });
                p.allowCoreThreadTimeOut(true);
                pool = p;
            }
            return pool;
        }
    }

    /**
     * The text of a sequence of ids, as Hugging Face's {@code decode} (no clean-up).
     *
     * @throws IllegalArgumentException when an id is outside the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        byte[] bytes = new byte[64];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            String token = vocabulary.tokenOrNull(ids[i]);
            if (token == null) {
                throw new IllegalArgumentException("cannot decode id " + ids[i] + " at position " + i
                        + ": outside the vocabulary (ids 0.." + (vocabulary.size() - 1) + ")");
            }
            if (skipSpecialTokens && vocabulary.isSpecial(ids[i])) continue;
            if (n + 3 * token.length() > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, n + 3 * token.length()));
            n = ByteLevel.writeTokenBytes(token, bytes, n);
        }
        return Utf8.decodeLossy(bytes, n);
    }

    /**
     * {@link #decode(int[], boolean)}, then, when {@code cleanUpSpaces}, transformers'
     * {@code clean_up_tokenization_spaces} ({@link CleanUp#cleanUpTokenizationSpaces}).
     */
    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpSpaces) {
        String text = decode(ids, skipSpecialTokens);
        return cleanUpSpaces ? CleanUp.cleanUpTokenizationSpaces(text) : text;
    }

    /** Id of a token string (vocabulary or added token), or -1. */
    public int tokenToId(String token) { return vocabulary.tokenToId(token); }

    /** Token string of an id (byte-level form for vocabulary tokens); IllegalArgumentException outside the vocabulary. */
    public String idToToken(int id) { return vocabulary.idToToken(id); }

    /** Number of ids: the highest vocabulary or added-token id + 1 (128257 for LongBEL). */
    public int vocabSize() { return vocabulary.size(); }

    /** BOS id from tokenizer_config.json, else the first special token of the post-processor template; -1 if none. */
    public int bosId() { return bos; }

    /** EOS id from tokenizer_config.json, -1 if none. */
    public int eosId() { return eos; }

    /** Pad id from tokenizer_config.json, falling back to eos. */
    public int padId() { return pad; }

    /** Whether the id is an added token marked special (skipped by {@code decode(ids, true)}). */
    public boolean isSpecial(int id) { return vocabulary.isSpecial(id); }

    /**
     * tokenizer_config.json's {@code clean_up_tokenization_spaces}; false when absent, as in transformers
     * since v4.45 (LongBEL's and Llama 3's files set it to true).
     */
    public boolean cleanUpTokenizationSpaces() { return cleanUpTokenizationSpaces; }

    /** Per-thread buffers reused across the words of one encode call (or one batch chunk). */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        final int[] length = new int[1];
        final BpeModel.Scratch bpe = new BpeModel.Scratch();
    }
}
