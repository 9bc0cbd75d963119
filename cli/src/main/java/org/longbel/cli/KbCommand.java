package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.longbel.kb.ConceptTable;
import org.longbel.kb.KbBuilder;
import org.longbel.kb.KbLoader;
import org.longbel.kb.KbSource;
import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.SyntheticKb;
import org.longbel.kb.TextToCodeJsonReader;
import org.longbel.kb.UmlsRrfReader;
import org.longbel.kb.TrieFileMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longbel kb build|stats|synth}: build a knowledge base's trie file, describe one, generate a synthetic KB. */
@Command(name = "kb", mixinStandardHelpOptions = true,
        description = "Knowledge bases: build the memory-mapped trie file, describe it, or generate a synthetic KB.",
        subcommands = {KbCommand.Build.class, KbCommand.Stats.class, KbCommand.Synth.class})
public final class KbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the subcommands share: the common options, and their JSON result printed indented on stdout. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws IOException {
            JsonOutput.printIndented(common.out(), execute());
            return 0;
        }

        /** Does the work and returns the JSON description of the result. */
        abstract ObjectNode execute() throws IOException;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Tokenize every name of a KB with the model's tokenizer and write the trie file.")
    static final class Build extends Base {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint directory holding tokenizer.json.")
        Path model;

        @Option(names = "--kb", required = true, paramLabel = "FILE",
                description = "text_to_code.json, a code<TAB>name<TAB>group .tsv, or a UMLS directory (MRCONSO.RRF, MRSTY.RRF, SemGroups.txt).")
        Path kb;

        @Option(names = "--out", required = true, paramLabel = "FILE.trie", description = "Trie file to write.")
        Path out;

        @Option(names = "--threads", paramLabel = "N", description = "Tokenizer threads (default: available processors).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--languages", split = ",", paramLabel = "LAT",
                description = "UMLS: MRCONSO languages to keep (default ENG; 'all' keeps every language).")
        List<String> languages = List.of("ENG");

        @Option(names = "--include-suppressible", description = "UMLS: keep names whose SUPPRESS flag is not N.")
        boolean includeSuppressible;

        @Option(names = "--semgroups", paramLabel = "FILE", description = "UMLS: semantic groups file (default: SemGroups.txt beside MRCONSO.RRF).")
        Path semGroups;

        @Option(names = "--umls-groups", split = ",", paramLabel = "GROUP",
                description = "UMLS: keep only these groups (names or abbreviations).")
        List<String> umlsGroups = List.of();

        @Override
        ObjectNode execute() {
            KbSource source = umlsOptions(semGroups != null ? KbSource.umls(kb, semGroups) : KbSource.detect(kb));
            KbBuilder.Report r = new KbLoader(model).threads(threads).build(source, out);
            ObjectNode n = JsonOutput.object();
            n.put("file", r.file().toAbsolutePath().toString());
            n.put("groups", r.groups());
            n.put("entries", r.entries());
            n.put("nodes", r.nodes());
            n.put("tokens", r.tokens());
            n.put("conflicts", r.conflicts());
            n.put("duplicates", r.duplicates());
            ArrayNode examples = n.putArray("conflict_examples");
            for (ConceptTable.Conflict c : r.conflictExamples()) {
                examples.addObject().put("group", c.group()).put("name", c.name()).put("dropped_code", c.droppedCode())
                        .put("kept_code", c.keptCode()).put("at", c.where());
            }
            n.put("token_collisions", r.collisions());
            n.put("file_bytes", r.fileBytes());
            n.put("tokenize_ms", r.tokenizeMillis());
            n.put("trie_ms", r.trieMillis());
            n.put("write_ms", r.writeMillis());
            return n;
        }

        private KbSource umlsOptions(KbSource detected) {
            if (!(detected instanceof KbSource.Umls umls)) return detected;
            UmlsRrfReader.Options d = umls.readerOptions();
            Set<String> lat = languages.contains("all") ? Set.of() : Set.copyOf(languages);
            return new KbSource.Umls(new UmlsRrfReader.Options(d.mrconso(), d.mrsty(), d.semGroups(),
                    lat, includeSuppressible, Set.copyOf(umlsGroups)));
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Open a trie file (or build a source KB with --model) and describe its groups.")
    static final class Stats extends Base {
        @Option(names = "--kb", required = true, paramLabel = "FILE", description = "A built .trie file, or a source KB (needs --model).")
        Path kb;

        @Option(names = "--model", paramLabel = "DIR", description = "Checkpoint directory: check staleness and rebuild if needed.")
        Path model;

        @Override
        ObjectNode execute() throws IOException {
            long t0 = System.nanoTime();
            try (KnowledgeBase base = model != null ? KnowledgeBase.load(kb, model) : KnowledgeBase.open(kb)) {
                double loadMs = (System.nanoTime() - t0) / 1e6;
                TrieFileMetadata m = base.metadata();
                ObjectNode n = JsonOutput.object();
                n.put("file", base.file().toAbsolutePath().toString());
                n.put("file_bytes", Files.exists(base.file()) ? Files.size(base.file()) : -1);
                n.put("load_ms", Math.round(loadMs * 10) / 10.0);
                n.put("entries", base.size());
                n.put("conflicts", m.conflicts());
                n.put("duplicates", m.duplicates());
                n.put("token_collisions", m.collisions());
                n.put("eos_id", m.eosId());
                n.put("tokenizer_sha256", m.tokenizerFingerprint());
                n.put("source_kind", m.source().kind());
                ArrayNode files = n.putArray("source_files");
                m.source().files().forEach(f -> files.add(f.path()));
                n.put("built_at", m.builtAt());
                ArrayNode groups = n.putArray("groups");
                for (TrieFileMetadata.Group g : m.groups()) {
                    ObjectNode gn = groups.addObject();
                    gn.put("name", g.name());
                    gn.put("entries", g.entries());
                    gn.put("codes", g.codes());
                    gn.put("nodes", g.nodes());
                }
                return n;
            }
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Write a synthetic text_to_code.json whose names are drawn from the words of a real KB.")
    static final class Synth extends Base {
        @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "A text_to_code.json whose names give the words and name lengths.")
        Path vocab;

        @Option(names = "--names", paramLabel = "N", description = "Number of distinct names (default 3000000).")
        long names = 3_000_000;

        @Option(names = "--groups", paramLabel = "G", description = "Number of groups (default 10).")
        int groups = 10;

        @Option(names = "--seed", description = "Random seed (default 1).")
        long seed = 1;

        @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "File to write.")
        Path out;

        @Override
        ObjectNode execute() {
            ConceptTable words = TextToCodeJsonReader.read(vocab);
            long t0 = System.nanoTime();
            SyntheticKb.Summary s = new SyntheticKb(words).write(out, names, groups, seed);
            ObjectNode n = JsonOutput.object();
            n.put("file", s.file().toAbsolutePath().toString());
            n.put("groups", s.groups());
            n.put("names", s.names());
            n.put("codes", s.codes());
            n.put("ms", (System.nanoTime() - t0) / 1_000_000);
            return n;
        }
    }
}
