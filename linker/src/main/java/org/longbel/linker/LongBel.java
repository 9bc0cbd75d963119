package org.longbel.linker;

import org.longbel.core.CausalLM;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Backends;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.decoding.DecodingMode;
import org.longbel.decoding.DecodingSearch;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.SpecialIds;
import org.longbel.kb.KbLoader;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.ConceptIndex;
import org.longbel.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.function.Consumer;

/**
 * A LongBEL checkpoint loaded once and ready to link documents: model, tokenizer, knowledge base and
 * generation settings. Thread-safe: {@link #sample} may be called from several threads. Every call hands its pages
 * to the handle's one scheduler thread, which links many documents at once (continuous batching: the live beams
 * and prompt chunks of all of them share each forward, {@link LongBelOptions#documentsInFlight()}) over one KV
 * cache with prefix sharing, on the backend's one compute pool (never the common pool). No global state: two
 * handles are independent.
 *
 * <pre>{@code
 * try (LongBel longBel = LongBel.load(Path.of("LongBEL-1B"), LongBelOptions.defaults())) {
 *     List<MentionResult> results = longBel.sample(pages, SampleOptions.defaults().withDeterministic(true));
 * }
 * }</pre>
 */
public final class LongBel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LongBel.class.getName());

    private final Path dir;
    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final KnowledgeBase kb;
    private final GenerationConfig generation;
    private final SpecialIds ids;
    private final KvCache cache;
    private final StatsCounter stats = new StatsCounter();
    private final LinkEngine engine;
    private final String deviceNote;

    private LongBel(Path dir, CausalLM model, Tokenizer tokenizer, KnowledgeBase kb, GenerationConfig generation,
                    SpecialIds ids, LongBelOptions options, Backend backend, String deviceNote) {
        this.dir = dir;
        this.deviceNote = deviceNote;
        this.model = model;
        this.tokenizer = tokenizer;
        this.kb = kb;
        this.generation = generation;
        this.ids = ids;
        this.cache = model.newCache(options.kvBlockSize(), options.kvCacheBytesFor(backend));
        this.cache.setPrefixSharing(options.kvReuse());
        this.engine = new LinkEngine(new LinkScheduler(model, cache, options.rowBudgetFor(backend), options.documentsInFlight(), stats),
                "longbel-scheduler");
    }

    /**
     * Loads the checkpoint in {@code checkpointDir} ({@code config.json}, safetensors weights,
     * {@code tokenizer.json}, {@code generation_config.json}, and {@code text_to_code.json} unless
     * {@link LongBelOptions#knowledgeBase()} names another KB).
     */
    public static LongBel load(Path checkpointDir, LongBelOptions options) {
        return load(checkpointDir, options, UnaryOperator.identity());
    }

    /** {@link #load}, with the model seen through {@code wrap} (tests observe the forwards this way). */
    static LongBel load(Path checkpointDir, LongBelOptions options, UnaryOperator<CausalLM> wrap) {
        Tokenizer tokenizer = Tokenizer.fromDirectory(checkpointDir);
        GenerationConfig generation = GenerationConfig.readCheckpoint(checkpointDir);
        SpecialIds ids;
        try {
            ids = SpecialIds.resolve(tokenizer, generation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpointDir + ": " + e.getMessage(), e);
        }
        Path kbSource = options.knowledgeBase() != null ? options.knowledgeBase()
                : checkpointDir.resolve("text_to_code.json");
        if (options.knowledgeBase() != null && !Files.exists(kbSource)) {
            throw new IllegalArgumentException("knowledge base " + kbSource + " does not exist");
        }
        KnowledgeBase kb = Files.exists(kbSource) ? loadKnowledgeBase(kbSource, checkpointDir, tokenizer, options) : null;
        CausalLM model;
        Backends.Choice device;
        try {
            device = Backends.open(new BackendRequest(options.device(), options.computeThreads(), options.precision()));
            LOG.log(System.Logger.Level.DEBUG, device.note()); // callers show deviceNote() as they see fit (the CLI prints it)
            model = wrap.apply(LlamaModel.load(checkpointDir, device.backend()));
        } catch (RuntimeException e) {
            if (kb != null) kb.close();
            throw e;
        }
        try {
            return new LongBel(checkpointDir, model, tokenizer, kb, generation, ids, options, device.backend(), device.note());
        } catch (RuntimeException e) {
            model.close();
            if (kb != null) kb.close();
            throw e;
        }
    }

    /** A built trie is opened as is; a source KB goes through the trie cache (rebuilt only when stale). */
    private static KnowledgeBase loadKnowledgeBase(Path kbSource, Path checkpointDir, Tokenizer tokenizer,
                                                   LongBelOptions options) {
        KbLoader loader = new KbLoader(checkpointDir).tokenizer(tokenizer);
        if (options.kbCacheDir() != null) { // ignored when kbSource is itself a trie file
            loader.cacheFile(CacheDirs.trieFileFor(options.kbCacheDir(), kbSource));
        }
        return loader.load(kbSource);
    }

    /** Which device runs the model and, for {@code --device auto}, why: e.g. "device auto -> cpu (no CUDA driver ...): CPU, 8 thread(s)...". */
    public String deviceNote() { return deviceNote; }

    /** Links {@code pages} and returns every mention's ranked predictions, in input order. */
    public List<MentionResult> sample(List<Page> pages, SampleOptions sampleOptions) {
        return sample(pages, sampleOptions, LinkListener.NONE, new CancellationToken());
    }

    /**
     * Links {@code pages}, reporting each mention to {@code listener} as it is linked (from worker
     * threads), and returns every mention's ranked predictions in input order.
     *
     * @throws CancellationException when {@code cancel} was cancelled
     */
    public List<MentionResult> sample(List<Page> pages, SampleOptions sampleOptions, LinkListener listener,
                                      CancellationToken cancel) {
        List<MentionResult> out = new ArrayList<>();
        stream(pages, sampleOptions, listener, cancel, page -> out.addAll(page.mentions()));
        return out;
    }

    /**
     * Links {@code pages} and hands each page's results to {@code inOrder} on the calling thread, in
     * input order, as soon as that page and every page before it are done (results of pages that
     * finish early wait in memory for the earlier ones). A failure in one page, or in {@code inOrder}, or an
     * interrupt of the calling thread, cancels {@code cancel} so that the pages not yet done stop, and is rethrown
     * (an interrupt as {@link CancellationException}, with the thread's interrupt status kept) once they have
     * stopped: when this method returns, normally or not, none of its pages holds KV memory or calls
     * {@code listener} any more.
     *
     * @throws CancellationException when {@code cancel} was cancelled (pages not yet started are skipped)
     */
    public void stream(List<Page> pages, SampleOptions sampleOptions, LinkListener listener,
                       CancellationToken cancel, Consumer<PageResult> inOrder) {
        if (sampleOptions.constrained() && kb == null) {
            throw new IllegalStateException("constrained decoding needs a knowledge base: " + dir
                    + " has no text_to_code.json; pass one (--kb) or decode without the constraint");
        }
        mode(sampleOptions); // refuse unusable sampling settings before any page starts
        DocumentLinker linker = new DocumentLinker(PromptCodec.of(tokenizer, ids),
                kb == null ? null : ConceptIndex.of(kb), sampleOptions);
        Function<DocumentRun.Pending, DecodingSearch> searches = p -> ModelDecoder.newSearch(model, generation, ids,
                sampleOptions, p.ids(), p.constraint(), p.seed());
        List<CompletableFuture<PageResult>> futures = new ArrayList<>(pages.size());
        List<ScheduledDocument> documents = new ArrayList<>(pages.size());
        for (Page page : pages) {
            CompletableFuture<PageResult> f = new CompletableFuture<>();
            futures.add(f);
            documents.add(new ScheduledDocument(linker.start(page, model.config().maxPositions(), listener), searches,
                    sampleOptions.numBeams(), sampleOptions.maxNewTokens(), cancel, f::complete, f::completeExceptionally));
        }
        engine.submit(documents);
        try {
            for (CompletableFuture<PageResult> f : futures) {
                PageResult page = get(f);
                inOrder.accept(sampleOptions.saliency() ? withSaliency(page) : page);
            }
        } catch (RuntimeException | Error e) {
            cancel.cancel(); // the pages still in the scheduler stop at its next tick
            awaitAll(futures); // and are out of it (KV memory freed, listener silent) before this call returns
            throw e;
        }
    }

    /** Waits until every page is done or dropped; an interrupt does not cut the wait short and stays set. */
    private static void awaitAll(List<CompletableFuture<PageResult>> futures) {
        for (CompletableFuture<PageResult> f : futures) {
            try {
                f.join();
            } catch (RuntimeException dropped) { // the cancellation just asked for, or a failure already reported
            }
        }
    }

    /** The page with every decoded mention's saliency map (computed here, on the calling thread). */
    private PageResult withSaliency(PageResult page) {
        List<MentionResult> out = new ArrayList<>(page.mentions().size());
        for (MentionResult m : page.mentions()) out.add(m.withSaliency(saliencyMap(m)));
        return new PageResult(page.page(), out);
    }

    /**
     * The saliency map of a mention's top beam (reference spec §7), or null when the mention was not decoded: the
     * gradient norms of prompt + generated ids, with pad, the eos ids and bos left out of the objective and every
     * {@code <|eot_id|>} key hidden, normalised over the prompt positions.
     *
     * @throws UnsupportedOperationException when the model has no backward pass
     */
    SaliencyMap saliencyMap(MentionResult m) {
        int[] generated = m.generatedIds();
        if (generated == null || m.top().error() != null) return null;
        int[] prompt = m.prompt().ids();
        int[] all = new int[prompt.length + generated.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        double[] norms;
        try {
            norms = model.inputGradientNorms(all, prompt.length, saliencyExcludedTargets(), saliencyMaskedKeys());
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException("saliency maps need the model's backward pass (CausalLM.inputGradientNorms), "
                    + "which " + model.getClass().getSimpleName() + " does not implement"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        if (norms.length != all.length) {
            throw new IllegalStateException("inputGradientNorms returned " + norms.length + " norms for " + all.length + " positions");
        }
        double[] scores = SaliencyMap.normalise(norms, prompt.length);
        List<String> strings = new ArrayList<>(prompt.length);
        for (int id : prompt) strings.add(tokenizer.decode(new int[] {id}, false));
        var top = m.top();
        return new SaliencyMap(top.mention(), top.docId(), top.mentionId(), top.startSpan(), top.endSpan(),
                top.semanticGroup(), top.goldCode(), top.goldName(), m.prompt().text(), prompt.clone(), strings,
                generated.clone(), scores, SaliencyMap.ansi(strings, scores), SaliencyMap.html(strings, scores),
                top.predName(), top.predCode(), top.score(), top.rank());
    }

    /** Targets left out of the saliency objective: pad, the search's eos, the checkpoint's eos ids, bos. */
    int[] saliencyExcludedTargets() {
        java.util.LinkedHashSet<Integer> s = new java.util.LinkedHashSet<>();
        s.add(ids.pad());
        s.add(ids.eos());
        for (int e : generation.eosTokenIds()) s.add(e);
        if (ids.bos() >= 0) s.add(ids.bos());
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Keys hidden from attention in the saliency pass: {@code <|eot_id|>} (the wrapper's pad = eos). */
    int[] saliencyMaskedKeys() {
        int eot = tokenizer.tokenToId(SpecialIds.EOT_TOKEN);
        return eot >= 0 && eot != ids.pad() ? new int[] {eot, ids.pad()} : new int[] {ids.pad()};
    }

    private static PageResult get(CompletableFuture<PageResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while linking");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /**
     * The generation mode {@code sample} runs with these options (beam search, beam sampling, greedy, sampling).
     *
     * @throws IllegalArgumentException naming {@code generation_config.json} when its sampling settings
     *                                  cannot run (e.g. {@code temperature: 0} with {@code do_sample: true})
     */
    public DecodingMode mode(SampleOptions sampleOptions) {
        try {
            return ModelDecoder.settings(generation, ids, sampleOptions, sampleOptions.seed()).mode();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve("generation_config.json") + ": " + e.getMessage()
                    + " (deterministic beam search ignores the sampling settings)", e);
        }
    }

    /** The checkpoint's generation settings ({@code generation_config.json}, or Hugging Face defaults). */
    public GenerationConfig generationConfig() {
        return generation;
    }

    /** The checkpoint's tokenizer. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The knowledge base, or null when the checkpoint has none and none was given. */
    public KnowledgeBase knowledgeBase() {
        return kb;
    }

    /**
     * What the scheduler did since this handle was loaded: prompt tokens, tokens prefilled and reused, forwards,
     * rows, decode steps, preemptions, peak KV bytes. Subtract an earlier snapshot for one run.
     */
    public LinkStats stats() {
        return stats.snapshot();
    }

    /**
     * What the KV cache holds, as the scheduler saw it at the end of its last tick or just before it last handed a
     * page's results or failure over. Every call's pages are out of the scheduler when the call returns (normally,
     * cancelled or failed), so with no call running this is what the handle holds at rest: nothing.
     */
    public KvUsage kvUsage() {
        return stats.kvUsage(cache.budgetBytes());
    }

    @Override
    public void close() {
        engine.close();
        cache.close();
        model.close();
        if (kb != null) kb.close();
    }
}
