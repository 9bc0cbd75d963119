package org.longbel.fuzz;

import org.longbel.kb.ConceptTable;
import org.longbel.kb.KbException;
import org.longbel.kb.TextToCodeJsonReader;

import java.nio.file.Path;

/** Fuzz target of a checkpoint's {@code text_to_code.json} knowledge base ({@code {group: {name: code}}}). */
class TextToCodeJsonFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        Path file = FuzzSupport.write("text_to_code.json", data);
        FuzzSupport.expect(KbException.class, file.toString(), () -> {
            ConceptTable table = TextToCodeJsonReader.read(file);
            KbTables.touch(table);
        });
    }
}
