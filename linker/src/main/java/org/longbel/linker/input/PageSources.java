package org.longbel.linker.input;

import org.longbel.linker.document.Page;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads and validates the pages of an input file in any supported {@link InputFormat}. */
public final class PageSources {
    private PageSources() {
    }

    /**
     * Reads {@code file} in {@code format} (PubTator types mapped with {@code groups}), validates every
     * page and reports doubtful input to {@code warnings}.
     *
     * @throws InputException with a message naming file, line (where the page starts), document, entity and field
     */
    public static List<Page> read(Path file, InputFormat format, SemanticGroupMapping groups,
                                  Consumer<String> warnings) {
        List<LocatedPage> located = switch (format.resolve(file)) {
            case PUBTATOR -> new PubTatorReader(groups).readLocated(file);
            case BIGBIO, AUTO -> new BigBioReader().readLocated(file);
        };
        Map<String, Long> firstLine = new HashMap<>();
        for (LocatedPage p : located) {
            String where = file + ":" + p.line();
            PageValidator.validate(p.page(), where, warnings);
            Long first = firstLine.putIfAbsent(p.page().id(), p.line());
            if (first != null) {
                warnings.accept(where + ": document " + MessageText.quote(p.page().id()) + " appears more than once "
                        + "(first on line " + first + "); each occurrence is linked with its own memory and the same "
                        + "mention ids");
            }
        }
        return LocatedPage.pages(located);
    }
}
