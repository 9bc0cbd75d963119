package org.longbel.kb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A knowledge-base source file (or set of files) and how to read it. */
public sealed interface KbSource {

    /** Reads the concepts. */
    ConceptTable read();

    /** {@code text_to_code.json}, {@code tsv} or {@code umls-rrf}. */
    String kind();

    /** Reader options that change the content, as stored in a trie file; empty if none. */
    String options();

    /** The files read. */
    List<Path> files();

    /** Fingerprints of the files as they are now, for a trie file's header. */
    default TrieFileMetadata.SourceInfo fingerprint() {
        List<TrieFileMetadata.SourceFile> files = new ArrayList<>();
        for (Path f : files()) files.add(Fingerprints.sourceFile(f));
        return new TrieFileMetadata.SourceInfo(kind(), options(), files);
    }

    /** A LongBEL checkpoint's {@code {group: {name: code}}} JSON. */
    record TextToCodeJson(Path file) implements KbSource {
        @Override public ConceptTable read() { return TextToCodeJsonReader.read(file); }
        @Override public String kind() { return "text_to_code.json"; }
        @Override public String options() { return ""; }
        @Override public List<Path> files() { return List.of(file); }
    }

    /** A {@code code<TAB>name<TAB>group} file. */
    record Tsv(Path file) implements KbSource {
        @Override public ConceptTable read() { return TsvReader.read(file); }
        @Override public String kind() { return "tsv"; }
        @Override public String options() { return ""; }
        @Override public List<Path> files() { return List.of(file); }
    }

    /** A UMLS release's MRCONSO.RRF, MRSTY.RRF and a SemGroups file. */
    record Umls(UmlsRrfReader.Options readerOptions) implements KbSource {
        @Override public ConceptTable read() { return UmlsRrfReader.read(readerOptions); }
        @Override public String kind() { return "umls-rrf"; }
        @Override public String options() { return readerOptions.describe(); }
        @Override public List<Path> files() { return List.of(readerOptions.mrconso(), readerOptions.mrsty(), readerOptions.semGroups()); }
    }

    /**
     * The source at {@code path}: a {@code .json} file, a {@code .tsv}/{@code .txt} file, or a UMLS
     * directory (or its {@code MRCONSO.RRF}) holding {@code MRCONSO.RRF}, {@code MRSTY.RRF} and
     * {@code SemGroups.txt}, read with {@link UmlsRrfReader.Options#defaults}.
     */
    static KbSource detect(Path path) {
        if (Files.isDirectory(path) || path.getFileName().toString().equalsIgnoreCase("MRCONSO.RRF")) return umls(path, null);
        if (!Files.isRegularFile(path)) throw new KbException("knowledge base " + path + " does not exist");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return new TextToCodeJson(path);
        if (name.endsWith(".tsv") || name.endsWith(".txt")) return new Tsv(path);
        if (name.endsWith(".trie")) {
            throw new KbException("knowledge base " + path + " is not a LongBEL trie file (its first bytes are not \"LBELTRIE\"):"
                    + " rebuild it with `longbel kb build`");
        }
        throw new KbException("cannot tell the format of knowledge base " + path
                + ": expected a .json (text_to_code.json), a .tsv (code<TAB>name<TAB>group), a UMLS directory, or a built .trie file");
    }

    /**
     * A UMLS release read with {@link UmlsRrfReader.Options#defaults}: {@code MRCONSO.RRF} and
     * {@code MRSTY.RRF} in {@code dirOrMrconso} (a directory or its MRCONSO.RRF), and {@code semGroups}
     * or, when null, {@code SemGroups.txt} beside them.
     */
    static Umls umls(Path dirOrMrconso, Path semGroups) {
        Path dir = Files.isDirectory(dirOrMrconso) ? dirOrMrconso : dirOrMrconso.toAbsolutePath().getParent();
        Path conso = dir.resolve("MRCONSO.RRF"), sty = dir.resolve("MRSTY.RRF");
        Path groups = semGroups != null ? semGroups : dir.resolve("SemGroups.txt");
        for (Path p : List.of(conso, sty, groups)) {
            if (!Files.isRegularFile(p)) {
                String checkpoint = p == conso && Files.isRegularFile(dir.resolve("text_to_code.json"))
                        ? "; it holds a text_to_code.json: pass that file to use it" : "";
                throw new KbException("UMLS knowledge base " + dir + " lacks " + (p == semGroups ? p : p.getFileName())
                        + " (expected MRCONSO.RRF, MRSTY.RRF and a SemGroups file, by default SemGroups.txt)" + checkpoint);
            }
        }
        return new Umls(UmlsRrfReader.Options.defaults(conso, sty, groups));
    }

    /**
     * The source the trie file {@code trieFile} was built from, rebuilt from its recorded kind, options and
     * files; a kind this build does not know, or the wrong number of files for the kind, is an error naming
     * the trie file.
     */
    static KbSource of(TrieFileMetadata.SourceInfo info, Path trieFile) {
        List<Path> files = info.files().stream().map(f -> Path.of(f.path())).toList();
        int expected = switch (info.kind()) {
            case "text_to_code.json", "tsv" -> 1;
            case "umls-rrf" -> 3;
            default -> throw new KbException("trie file " + trieFile + " was built from an unknown knowledge-base kind \""
                    + info.kind() + "\"; rebuild it with `longbel kb build`");
        };
        if (files.size() != expected) {
            throw new KbException("trie file " + trieFile + " is damaged: its " + info.kind() + " source lists "
                    + files.size() + " files, expected " + expected);
        }
        return switch (info.kind()) {
            case "text_to_code.json" -> new TextToCodeJson(files.getFirst());
            case "tsv" -> new Tsv(files.getFirst());
            default -> {
                try {
                    yield new Umls(UmlsRrfReader.Options.parse(info.options(), files.get(0), files.get(1), files.get(2)));
                } catch (KbException e) {
                    throw new KbException("trie file " + trieFile + " is damaged: " + e.getMessage(), e);
                }
            }
        };
    }
}
