package org.longbel.fuzz;

import org.longbel.linker.input.InputFormat;
import org.longbel.linker.input.SemanticGroupMapping;

/**
 * Fuzz target of the PubTator reader as {@code longbel link --input F --format pubtator} uses it, with the bundled
 * ST21pv semantic-type mapping: reading, validation, mentions.
 */
class PubTatorFuzzTest {
    private static final SemanticGroupMapping GROUPS = SemanticGroupMapping.st21pv();

    @ParserFuzz
    void file(byte[] data) throws Exception {
        LinkerInputs.pages(FuzzSupport.write("corpus.pubtator", data), InputFormat.PUBTATOR, GROUPS);
    }
}
