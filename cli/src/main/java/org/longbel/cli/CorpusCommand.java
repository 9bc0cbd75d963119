package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.longbel.linker.document.Page;
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusFile;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.CorpusStats;
import org.longbel.linker.synth.IntRange;
import org.longbel.linker.synth.SyntheticCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code longbel corpus synth}: generate a synthetic corpus of BigBio pages shaped like MedMentions ST21pv. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Corpora: generate a synthetic BigBio corpus shaped like MedMentions ST21pv.",
        subcommands = {CorpusCommand.Synth.class})
public final class CorpusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code N} or {@code MIN-MAX}. */
    static final class RangeConverter implements ITypeConverter<IntRange> {
        @Override
        public IntRange convert(String value) {
            try {
                return IntRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Write synthetic PubMed-like documents (title + abstract) whose mentions are names of a knowledge base,"
                    + " shaped like MedMentions ST21pv: text length, mentions per document, mentions spread over the text,"
                    + " concepts repeated within a document. The words between mentions are filler: for benchmarks, not for accuracy.",
                    "Groups: the ST21pv groups the KB has (all its groups when it has none of them); --all-groups adds the others"
                    + " (e.g. Geographic Areas, Phenomena), --groups names them. Prints a JSON summary on stdout."})
    static final class Synth implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--docs", required = true, paramLabel = "N", description = "Number of documents.")
        int docs;

        @Option(names = "--mentions", paramLabel = "M|MIN-MAX", converter = RangeConverter.class,
                description = "Mentions per document, fixed or drawn uniformly from a range (default: ${DEFAULT-VALUE}).")
        IntRange mentions = CorpusShape.DEFAULT_MENTIONS;

        @Option(names = "--kb", required = true, paramLabel = "FILE",
                description = "Knowledge base giving names, codes and groups: text_to_code.json, a code<TAB>name<TAB>group .tsv,"
                        + " a UMLS directory (MRCONSO.RRF, MRSTY.RRF, SemGroups.txt) or a built .trie file.")
        Path kb;

        @Option(names = "--repeat", paramLabel = "SHARE",
                description = "Share of a document's mentions naming a concept it already named, in [0, 1) (default: ${DEFAULT-VALUE}).")
        double repeat = CorpusShape.DEFAULT_REPEAT_SHARE;

        @Option(names = "--words", paramLabel = "W|MIN-MAX", converter = RangeConverter.class,
                description = "Words per document, title and abstract together (default: ${DEFAULT-VALUE}).")
        IntRange words = CorpusShape.DEFAULT_WORDS;

        @Option(names = "--title-words", paramLabel = "W|MIN-MAX", converter = RangeConverter.class,
                description = "Words of the title (default: ${DEFAULT-VALUE}).")
        IntRange titleWords = CorpusShape.DEFAULT_TITLE_WORDS;

        @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "Draw concepts from these groups only.")
        List<String> groups = List.of();

        @Option(names = "--all-groups", description = "Also draw from groups outside MedMentions ST21pv's 11.")
        boolean allGroups;

        @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "BigBio JSON to write (atomically): a JSON array, or JSON Lines when FILE ends with .jsonl.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (docs < 1) throw new IllegalArgumentException("--docs must be at least 1, got " + docs);
            CorpusShape shape;
            try {
                shape = new CorpusShape(mentions, words, titleWords, repeat, CorpusShape.DEFAULT_SYNONYM_SHARE, seed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad corpus shape: " + e.getMessage(), e);
            }
            long t0 = System.nanoTime();
            ConceptPool pool = ConceptPool.read(kb, new ConceptPool.GroupChoice(groups, allGroups));
            List<Page> pages = new SyntheticCorpus(pool, shape).generate(docs);
            CorpusFile.write(pages, out);
            CorpusStats s = CorpusStats.of(pages);

            ObjectNode n = JsonOutput.object();
            n.put("file", out.toAbsolutePath().normalize().toString());
            n.put("format", CorpusFile.jsonLines(out) ? "jsonl" : "json");
            n.put("docs", s.docs());
            n.put("mentions", s.mentions());
            range(n.putObject("mentions_per_doc"), s.minMentions(), s.meanMentions(), s.maxMentions());
            range(n.putObject("words_per_doc"), s.minWords(), s.meanWords(), s.maxWords());
            n.put("mean_chars_per_doc", round(s.meanChars(), 1));
            n.put("repeated", s.repeated());
            n.put("repeated_share", round(s.repeatedShare(), 4));
            ObjectNode g = n.putObject("groups");
            s.groups().forEach(g::put);
            ArrayNode skipped = n.putArray("kb_groups_not_used");
            pool.skippedGroups().forEach(skipped::add);
            n.put("kb", kb.toAbsolutePath().normalize().toString());
            n.put("kb_concepts", pool.concepts().size());
            n.put("kb_names", pool.names());
            n.put("kb_names_unusable", pool.unusableNames());
            ObjectNode shapeNode = n.putObject("shape");
            shapeNode.put("mentions", shape.mentions().toString());
            shapeNode.put("words", shape.words().toString());
            shapeNode.put("title_words", shape.titleWords().toString());
            shapeNode.put("repeat", shape.repeatShare());
            shapeNode.put("seed", shape.seed());
            n.put("ms", (System.nanoTime() - t0) / 1_000_000);
            JsonOutput.printIndented(common.out(), n);
            return 0;
        }

        private static void range(ObjectNode n, int min, double mean, int max) {
            n.put("min", min);
            n.put("mean", round(mean, 1));
            n.put("max", max);
        }

        private static double round(double v, int decimals) {
            double f = Math.pow(10, decimals);
            return Math.round(v * f) / f;
        }
    }
}
