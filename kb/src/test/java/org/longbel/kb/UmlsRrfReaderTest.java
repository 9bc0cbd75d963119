package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void invalidUtf8InAnyFileNamesFileAndLine() throws java.io.IOException {
        byte[] name = conso("C0015967", "FRE", "Fi\u00e8vre", "N", 9).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path bad = java.nio.file.Files.write(dir.resolve("MRCONSO.RRF"), concat(conso("C0018787", "ENG", "Heart", "N", 1).getBytes(), name));
        KbException e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(bad, sty, groups)));
        assertTrue(e.getMessage().startsWith(bad + ":2: invalid UTF-8: byte 0xE8 at byte offset "), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void semGroupsNeedAGroupNameAndATui() {
        Path noGroup = TestKbs.write(dir, "SemGroups.txt", "ANAT|Anatomy|T023|Body Part\nCHEM| |T109|Organic Chemical\n");
        KbException e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, sty, noGroup)));
        assertEquals(noGroup + ":2: empty group name (field 2 of ABBR|Group name|TUI|Type name)", e.getMessage());
        Path noTui = TestKbs.write(dir, "SemGroups.txt", "ANAT|Anatomy||Body Part\n");
        e = assertThrows(KbException.class, () -> UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, sty, noTui)));
        assertEquals(noTui + ":1: empty semantic type (field 3 of ABBR|Group name|TUI|Type name)", e.getMessage());
    }

    @Test
    void aTuiUnderTwoGroupsBelongsToBoth() {
        Path twice = TestKbs.write(dir, "SemGroups.txt", "ANAT|Anatomy|T023|Body Part\nORGA|Organs|T023|Body Part\n");
        ConceptTable t = UmlsRrfReader.read(UmlsRrfReader.Options.defaults(conso, sty, twice));
        assertEquals(List.of("Anatomy", "Organs"), t.groups());
        assertEquals(Map.of("Heart", "C0018787", "Aspirin", "C0004057"), t.names("Anatomy"));
        assertEquals(t.names("Anatomy"), t.names("Organs"));
    }

    @Test
    void groupFilterNamingNoGroupOfTheFileIsAnError() {
        var typo = new UmlsRrfReader.Options(conso, sty, groups, Set.of("ENG"), false, Set.of("ANAT", "Disorder"));
        KbException e = assertThrows(KbException.class, () -> UmlsRrfReader.read(typo));
        assertEquals(groups + ": the groups to keep Disorder are neither a group name nor an abbreviation in this file", e.getMessage());
    }
}
