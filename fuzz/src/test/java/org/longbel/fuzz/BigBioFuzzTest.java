package org.longbel.fuzz;

import org.longbel.linker.input.InputFormat;
import org.longbel.linker.input.SemanticGroupMapping;

/**
 * Fuzz targets of the BigBio page reader as {@code longbel link --input} uses it (reading, validation, mentions):
 * a JSON array of pages, and JSON Lines (one page per line). Inputs of the other form are skipped, so that each
 * target's corpus explores its own form.
 */
class BigBioFuzzTest {
    private static final SemanticGroupMapping GROUPS = SemanticGroupMapping.st21pv();

    @ParserFuzz
    void array(byte[] data) throws Exception {
        if (!LinkerInputs.startsWith(data, '[')) return;
        LinkerInputs.pages(FuzzSupport.write("pages.json", data), InputFormat.AUTO, GROUPS);
    }

    @ParserFuzz
    void jsonLines(byte[] data) throws Exception {
        if (LinkerInputs.startsWith(data, '[')) return;
        LinkerInputs.pages(FuzzSupport.write("pages.jsonl", data), InputFormat.BIGBIO, GROUPS);
    }
}
