package org.longbel.fuzz;

import org.longbel.kb.ConceptTable;
import org.longbel.kb.KbException;
import org.longbel.kb.TsvReader;

import java.nio.file.Path;

/** Fuzz target of the tab-separated knowledge base ({@code code<TAB>name<TAB>group} per line). */
class TsvKbFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        Path file = FuzzSupport.write("kb.tsv", data);
        FuzzSupport.expect(KbException.class, file.toString(), () -> {
            ConceptTable table = TsvReader.read(file);
            KbTables.touch(table);
        });
    }
}
