package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UmlsRrfReaderTest {
    @TempDir Path dir;
    Path conso, sty, groups;

    /** One MRCONSO row in the real 18-field layout (CUI|LAT|TS|LUI|STT|SUI|ISPREF|AUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|). */
    static String conso(String cui, String lat, String str, String suppress, int aui) {
        return cui + "|" + lat + "|P|L" + aui + "|PF|S" + aui + "|Y|A" + aui + "||M1|D1|MSH|MH|D1|" + str + "|0|" + suppress + "|256|\n";
    }

    @BeforeEach
    void writeRelease() {
        conso = TestKbs.write(dir, "MRCONSO.RRF",
                conso("C0018787", "ENG", "Heart", "N", 1)
                + conso("C0018787", "FRE", "Coeur", "N", 2)
                + conso("C0018787", "ENG", "Heart [obsolete]", "O", 3)
                + conso("C0015967", "ENG", "Fever", "N", 4)
                + conso("C0015967", "ENG", "Pyrexia", "Y", 5)
                + conso("C0004057", "ENG", "Aspirin", "N", 6)
                + conso("C9999999", "ENG", "No type", "N", 7));
        sty = TestKbs.write(dir, "MRSTY.RRF",
                "C0018787|T023|A1.2.3.1|Body Part, Organ, or Organ Component|AT17683839|256|\n"
                + "C0015967|T184|A2.2.2|Sign or Symptom|AT32679013|256|\n"
                + "C0004057|T109|A1.4.1.2.1|Organic Chemical|AT17614474|256|\n"
                + "C0004057|T121|A1.4.1.1.1|Pharmacologic Substance|AT17614475|256|\n"
                + "C0004057|T023|A1.2.3.1|Body Part, Organ, or Organ Component|AT1|256|\n");
        groups = TestKbs.write(dir, "SemGroups.txt",
                "ANAT|Anatomy|T023|Body Part, Organ, or Organ Component\n"
                + "CHEM|Chemicals & Drugs|T109|Organic Chemical\n"
                + "CHEM|Chemicals & Drugs|T121|Pharmacologic Substance\n"
                + "DISO|Disorders|T184|Sign or Symptom\n");
    }

    @Test
    void englishNonSuppressibleByDefault() {
        ConceptTable t = UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, sty, groups));
        assertEquals(List.of("Anatomy", "Disorders", "Chemicals & Drugs"), t.groups());
        assertEquals(Map.of("Heart", "C0018787", "Aspirin", "C0004057"), t.names("Anatomy"));
        assertEquals(Map.of("Fever", "C0015967"), t.names("Disorders"));
        assertEquals(Map.of("Aspirin", "C0004057"), t.names("Chemicals & Drugs"));
    }

    @Test
    void languageSuppressionAndGroupFilters() {
        var all = new UmlsRrfReader.Options(conso, sty, groups, Set.of(), true, Set.of("ANAT", "Disorders"));
        ConceptTable t = UmlsRrfReader.read(all);
        assertEquals(List.of("Anatomy", "Disorders"), t.groups());
        assertEquals(List.of("Heart", "Coeur", "Heart (obsolete)", "Aspirin"), List.copyOf(t.names("Anatomy").keySet()));
        assertEquals(List.of("Fever", "Pyrexia"), List.copyOf(t.names("Disorders").keySet()));
        var fre = new UmlsRrfReader.Options(conso, sty, groups, Set.of("FRE"), false, Set.of());
        assertEquals(Map.of("Coeur", "C0018787"), UmlsRrfReader.read(fre).names("Anatomy"));
    }

    @Test
    void optionsSurviveTheirTextForm() {
        var o = new UmlsRrfReader.Options(conso, sty, groups, Set.of("ENG", "FRE"), true, Set.of("Chemicals & Drugs", "ANAT"));
        assertEquals(o, UmlsRrfReader.Options.parse(o.describe(), conso, sty, groups));
    }

    @Test
    void wrongColumnCountNamesFileAndLine() {
        Path bad = TestKbs.write(dir, "MRCONSO.RRF", conso("C0018787", "ENG", "Heart", "N", 1)
                + "C0015967|ENG|P|L1|PF|S1|Y|A1||M1|D1|MSH|MH|D1|Fever|0|N|\n");
        KbException e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(bad, sty, groups)));
        assertEquals(bad + ":2: expected 18 '|'-terminated fields, found 17", e.getMessage());
        Path badSty = TestKbs.write(dir, "MRSTY.RRF", "C0018787|T023|A1.2.3.1|Body Part|AT1|256\n");
        e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, badSty, groups)));
        assertEquals(badSty + ":1: expected 6 '|'-terminated fields, found 6 (the line does not end with '|')", e.getMessage());
        Path badGroups = TestKbs.write(dir, "SemGroups.txt", "ANAT|Anatomy|T023\n");
        e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, sty, badGroups)));
        assertEquals(badGroups + ":1: expected 4 '|'-separated fields (ABBR|Group name|TUI|Type name), found 3", e.getMessage());
    }
}
