package org.longbel.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import org.longbel.kb.ConceptTable;
import org.longbel.kb.KbException;
import org.longbel.kb.UmlsRrfReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets of the UMLS knowledge base: a whole release ({@code MRCONSO.RRF}, {@code MRSTY.RRF} and a
 * SemGroups file, with the reader's filters) and the SemGroups file alone ({@code ABBR|Group name|TUI|Type name}).
 */
class UmlsRrfFuzzTest {

    /** Language filters the release target picks from (the CLI's default, every language, a second one). */
    private static final List<Set<String>> LANGUAGES = List.of(Set.of("ENG"), Set.of(), Set.of("ENG", "FRE"), Set.of("FRE"));
    /** Group filters (every group, a group name, an abbreviation, both). */
    private static final List<Set<String>> GROUPS = List.of(Set.of(), Set.of("Disorders"), Set.of("CHEM"), Set.of("DISO", "Chemicals & Drugs"));

    /**
     * A release. Input layout (FuzzedDataProvider): from the end, the include-suppressible flag, a language
     * filter, a group filter and the byte lengths of MRCONSO.RRF and MRSTY.RRF (two bytes each); from the start
     * the MRCONSO.RRF bytes, the MRSTY.RRF bytes, and the rest is the SemGroups file.
     */
    @ParserFuzz
    void release(FuzzedDataProvider data) throws Exception {
        boolean includeSuppressible = data.consumeBoolean();
        Set<String> languages = LANGUAGES.get(data.consumeInt(0, LANGUAGES.size() - 1));
        Set<String> groups = GROUPS.get(data.consumeInt(0, GROUPS.size() - 1));
        int consoLength = data.consumeInt(0, 0xFFFF);
        int styLength = data.consumeInt(0, 0xFFFF);
        Path conso = FuzzSupport.write("MRCONSO.RRF", data.consumeBytes(consoLength));
        Path sty = FuzzSupport.write("MRSTY.RRF", data.consumeBytes(styLength));
        Path semGroups = FuzzSupport.write("SemGroups.txt", data.consumeRemainingAsBytes());
        UmlsRrfReader.Options options = new UmlsRrfReader.Options(conso, sty, semGroups, languages, includeSuppressible, groups);
        // an error may be in any of the three files: the message must name the folder they share
        FuzzSupport.expect(KbException.class, conso.getParent().toString(), () -> {
            ConceptTable table = UmlsRrfReader.read(options);
            KbTables.touch(table);
        });
    }

    /** A valid MRCONSO.RRF of three concepts (one suppressible name, one French name). */
    private static final String MRCONSO = """
            C0000001|ENG|P|L0000001|PF|S0000001|Y|A0000001||||MSH|MH|D000001|Aspirin|0|N||
            C0000001|ENG|S|L0000002|PF|S0000002|Y|A0000002||||MSH|EN|D000001|acetylsalicylic acid|0|O||
            C0000002|ENG|P|L0000003|PF|S0000003|Y|A0000003||||MSH|MH|D000002|Diabetes Mellitus|0|N||
            C0000002|FRE|P|L0000004|PF|S0000004|Y|A0000004||||MSHFRE|MH|D000002|Diabète|0|N||
            C0000003|ENG|P|L0000005|PF|S0000005|Y|A0000005||||MSH|MH|D000003|Liver|0|N||
            """;
    /** Their semantic types: a drug (T109, T121), a disease (T047), a body part (T023). */
    private static final String MRSTY = """
            C0000001|T109|A1.4.1.2.1|Organic Chemical|AT0000001||
            C0000001|T121|A1.4.1.1.1|Pharmacologic Substance|AT0000002||
            C0000002|T047|B2.2.1.2.1|Disease or Syndrome|AT0000003||
            C0000003|T023|A1.2.3.1|Body Part, Organ, or Organ Component|AT0000004||
            """;

    /** A SemGroups file with a fixed, valid MRCONSO.RRF and MRSTY.RRF, read with and without a group filter. */
    @ParserFuzz
    void semGroups(byte[] data) throws Exception {
        Path conso = FuzzSupport.write("MRCONSO.RRF", MRCONSO.getBytes(StandardCharsets.UTF_8));
        Path sty = FuzzSupport.write("MRSTY.RRF", MRSTY.getBytes(StandardCharsets.UTF_8));
        Path semGroups = FuzzSupport.write("SemGroups.txt", data);
        for (Set<String> groups : List.of(Set.<String>of(), Set.of("CHEM", "Disorders"))) {
            UmlsRrfReader.Options options = new UmlsRrfReader.Options(conso, sty, semGroups, Set.of("ENG"), false, groups);
            FuzzSupport.expect(KbException.class, semGroups.toString(), () -> {
                ConceptTable table = UmlsRrfReader.read(options);
                KbTables.touch(table);
            });
        }
    }
}
