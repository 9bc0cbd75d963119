package org.longbel.linker.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.prompt.MentionExtractor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PubTatorReaderTest {
    @TempDir
    Path dir;

    // MedMentions-style sample: title and abstract, ST21pv types, ids with and without "UMLS:"
    private static final String SAMPLE = """
            25763772|t|DCTN4 as a modifier of chronic Pseudomonas aeruginosa infection
            25763772|a|Pseudomonas aeruginosa infection in cystic fibrosis patients.
            25763772\t0\t5\tDCTN4\tT103\tUMLS:C4308010
            25763772\t23\t63\tchronic Pseudomonas aeruginosa infection\tT038,T033\tC0854135
            25763772\t100\t115\tcystic fibrosis\tT047,T033\tC0010674
            25763772\t116\t124\tpatients\tT098\tC0030705

            10000001|t|Short title
            10000001|a|
            """;

    @Test
    void readsTitleAndAbstractAsTwoPassages() throws IOException {
        Path f = dir.resolve("sample.txt");
        Files.writeString(f, SAMPLE);
        List<Page> pages = new PubTatorReader(SemanticGroupMapping.st21pv()).read(f);
        assertEquals(2, pages.size());
        Page p = pages.getFirst();
        assertEquals("25763772", p.id());
        assertEquals("25763772", p.documentId());
        assertEquals(0, p.passages().get(0).start());
        assertEquals(63, p.passages().get(0).end());
        assertEquals(64, p.passages().get(1).start()); // len(title) + 1
        assertEquals(64 + 61, p.passages().get(1).end());
        List<Entity> es = p.entities();
        assertEquals("Chemicals & Drugs", es.get(0).type());
        assertEquals("C4308010", es.get(0).normalized().getFirst().dbId());
        assertEquals("Physiology", es.get(1).type()); // first mapped type wins
        assertEquals("Disorders", es.get(2).type()); // T047 is not in ST21pv, T033 is
        assertEquals("Living Beings", es.get(3).type());
        assertEquals("T4", es.get(3).id());
        List<String> warnings = new java.util.ArrayList<>();
        PageValidator.validate(p, f.toString(), warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        List<Mention> ms = MentionExtractor.mentions(p);
        assertEquals("DCTN4 as a modifier of chronic Pseudomonas aeruginosa infection\n"
                + "Pseudomonas aeruginosa infection in [cystic fibrosis] patients.", ms.get(2).context());
        assertTrue(pages.get(1).entities().isEmpty());
    }

    @Test
    void unknownSemanticTypeNamesLineDocumentAndEntity() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "1|t|abc\n1|a|def\n1\t0\t3\tabc\tT999\tC1\n");
        InputException e = assertThrows(InputException.class,
                () -> new PubTatorReader(SemanticGroupMapping.st21pv()).read(f));
        assertEquals(f + ":3: document '1', entity 'T1': field 'semantic types': none of 'T999' is in the semantic "
                + "group mapping (pass a SemGroups-format mapping file)", e.getMessage());
    }

    @Test
    void mappingFileInSemGroupsFormat() throws IOException {
        Path map = dir.resolve("SemGroups.txt");
        Files.writeString(map, "DISO|Disorders|T047|Disease or Syndrome\nCHEM|Chemicals & Drugs|T121|Pharmacologic Substance\n");
        Path f = dir.resolve("doc.txt");
        Files.writeString(f, "1|t|abc\n1|a|def\n1\t0\t3\tabc\tT047\tC1\n");
        Page p = new PubTatorReader(SemanticGroupMapping.fromFile(map)).read(f).getFirst();
        assertEquals("Disorders", p.entities().getFirst().type());
        assertEquals(InputFormat.PUBTATOR, InputFormat.AUTO.resolve(f));
    }

    @Test
    void badLinesAreReported() throws IOException {
        Path f = dir.resolve("bad2.txt");
        Files.writeString(f, "1|t|abc\n1|a|def\n1\tzero\t3\tabc\tT033\tC1\n");
        InputException e = assertThrows(InputException.class,
                () -> new PubTatorReader(SemanticGroupMapping.st21pv()).read(f));
        assertEquals(f + ":3: document '1', entity 'T1': field 'start' is not a 32-bit integer: 'zero'", e.getMessage());
        Path map = dir.resolve("map.txt");
        Files.writeString(map, "DISO Disorders T047\n");
        e = assertThrows(InputException.class, () -> SemanticGroupMapping.fromFile(map));
        assertTrue(e.getMessage().startsWith(map + ":1: expected 'ABBR|Group name|TUI|Type name'"), e.getMessage());
    }
    @Test
    void crlfLinesAndSeveralConceptIdsEachWithOrWithoutThePrefix() throws IOException {
        Path f = dir.resolve("crlf.txt");
        Files.writeString(f, "7|t|Fever and cough\r\n7|a|No rash.\r\n"
                + "7\t0\t5\tFever\tT033\tUMLS:C0015967,UMLS:C0015968\r\n"
                + "7\t10\t15\tcough\tT033\tC0010200|UMLS:C0010201\r\n"
                + "7\t19\t23\trash\tT033\t\r\n\r\n"
                + "8|t|Second\r\n8|a|doc\r\n");
        List<Page> pages = new PubTatorReader(SemanticGroupMapping.st21pv()).read(f);
        assertEquals(List.of("7", "8"), pages.stream().map(Page::id).toList());
        Page p = pages.getFirst();
        assertEquals("Fever and cough", p.passages().get(0).text()); // no stray '\r'
        assertEquals(16, p.passages().get(1).start());
        assertEquals(List.of("C0015967", "C0015968"),
                p.entities().get(0).normalized().stream().map(n -> n.dbId()).toList());
        assertEquals(List.of("C0010200", "C0010201"),
                p.entities().get(1).normalized().stream().map(n -> n.dbId()).toList());
        assertTrue(p.entities().get(2).normalized().isEmpty());
        List<String> warnings = new java.util.ArrayList<>();
        PageValidator.validate(p, f.toString(), warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals("C0015967", MentionExtractor.mentions(p).getFirst().goldCode());
    }

    @Test
    void aSecondTitleLineIsAnErrorAndNotSilentlyKept() throws IOException {
        Path f = dir.resolve("twice.txt");
        Files.writeString(f, "1|t|abc\n1|t|xyz\n1|a|def\n");
        assertEquals(f + ":2: document '1': a second '|t|' (title) line",
                assertThrows(InputException.class, () -> new PubTatorReader(SemanticGroupMapping.st21pv()).read(f))
                        .getMessage());
    }

    @Test
    void conflictingSemanticTypeMappingIsAnError() throws IOException {
        Path map = dir.resolve("groups.txt");
        Files.writeString(map, "DISO|Disorders|T047|Disease\nDISO|Disorders|T047|Disease\nCHEM|Chemicals|T047|Drug\n");
        assertEquals(map + ":3: field 'TUI': 'T047' is mapped to 'Chemicals' here but to 'Disorders' on line 1",
                assertThrows(InputException.class, () -> SemanticGroupMapping.fromFile(map)).getMessage());
    }
}
