package org.longbel.linker.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.AtomicOutputFile;
import org.longbel.linker.output.BigBioWriter;

/** Writes a synthetic corpus as BigBio JSON, atomically: JSON Lines for a {@code .jsonl} file, else a JSON array. */
public final class CorpusFile {
    private CorpusFile() {
    }

    /** Whether {@code out} gets JSON Lines (its name ends with {@code .jsonl}). */
    public static boolean jsonLines(Path out) {
        return out.getFileName() != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    /** Writes {@code pages} to {@code out} (passages typed {@code title} and {@code abstract}); the old file stays on error. */
    public static void write(List<Page> pages, Path out) throws IOException {
        try (AtomicOutputFile file = new AtomicOutputFile(out)) {
            new BigBioWriter(BigBioWriter.TITLE_ABSTRACT).write(pages, file.writer(), jsonLines(out));
            file.commit();
        }
    }
}
