package org.longbel.fuzz;

import org.longbel.linker.input.SemanticGroupMapping;

import java.nio.file.Path;

/**
 * Fuzz target of the semantic-group mapping file ({@code longbel link --semantic-groups FILE}, SemGroups format
 * {@code ABBR|Group name|TUI|Type name}); a mapping read is then asked for a type, as the PubTator reader does.
 */
class SemanticGroupsFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        Path file = FuzzSupport.write("SemGroups.txt", data);
        LinkerInputs.expect(file, () -> {
            SemanticGroupMapping mapping = SemanticGroupMapping.fromFile(file);
            if (mapping.size() < 1) throw new AssertionError("a mapping without types was accepted");
            mapping.group("T047");
        });
    }
}
