package org.longbel.linker.input;

import org.longbel.linker.document.Page;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Reads and validates the pages of an input file in any supported {@link InputFormat}. */
public final class PageSources {
    private PageSources() {
    }

    /**
     * Reads {@code file} in {@code format} (PubTator types mapped with {@code groups}), validates every
     * page and reports doubtful input to {@code warnings}.
     *
     * @throws InputException with a message naming file, line, document, entity and field
     */
    public static List<Page> read(Path file, InputFormat format, SemanticGroupMapping groups,
                                  Consumer<String> warnings) {
        List<Page> pages = switch (format.resolve(file)) {
            case PUBTATOR -> new PubTatorReader(groups).read(file);
            case BIGBIO, AUTO -> new BigBioReader().read(file);
        };
        Set<String> ids = new HashSet<>();
        for (Page page : pages) {
            PageValidator.validate(page, file.toString(), warnings);
            if (!ids.add(page.id())) {
                warnings.accept(file + ": document " + MessageText.quote(page.id()) + " appears more than once; "
                        + "each occurrence is linked with its own memory and the same mention ids");
            }
        }
        return pages;
    }
}
