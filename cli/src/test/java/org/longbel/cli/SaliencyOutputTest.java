package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.linker.SaliencyMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saliency writers of {@code longbel link} (JSON, HTML page, PNGs, ANSI), on the reference wrapper's own maps
 * of the seed example (real scores) and on a crafted map full of characters to escape; and the command end to end.
 */
class SaliencyOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BOS = 128000;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** The reference's {@code saliency_maps} of a fixture file as records (generated ids: the reference's rank-1 row). */
    static List<SaliencyMap> referenceMaps(String file) throws IOException {
        JsonNode ref = JSON.readTree(CliRun.fixtures().resolve("golden/tiny-llama32/reference/" + file).toFile());
        List<SaliencyMap> out = new ArrayList<>();
        for (JsonNode m : ref.get("saliency_maps")) {
            int[] generated = new int[0];
            for (JsonNode g : ref.get("generate")) {
                if (g.get("mention_id").equals(m.get("mention_id"))) generated = ints(g.get("rows").get(0).get("ids"));
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode s : m.get("token_strings")) strings.add(s.asText());
            double[] scores = new double[m.get("saliency_scores").size()];
            for (int i = 0; i < scores.length; i++) scores[i] = m.get("saliency_scores").get(i).asDouble();
            out.add(new SaliencyMap(m.get("mention").asText(), m.get("doc_id").asText(), m.get("mention_id").asText(),
                    m.get("start_span").asInt(), m.get("end_span").asInt(), m.get("semantic_group").asText(),
                    m.get("gold_concept_code").textValue(), m.get("gold_concept_name").textValue(),
                    m.get("input_sentence").asText(), ints(m.get("token_ids")), strings, generated, scores,
                    m.get("saliency_ansi").asText(), m.get("saliency_html").asText(), m.get("pred_concept_name").asText(),
                    m.get("pred_concept_code").asText(), m.get("score").asDouble(), m.get("rank").asInt()));
        }
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    /** A map whose tokens, mention, group, prediction and ids hold {@code < & " '} and a control character. */
    static SaliencyMap crafted() {
        List<String> tokens = List.of("<|begin_of_text|>", "a<b", " &", " \"q\"", "'s", "\n", "\u0007bell", " </span>");
        double[] scores = {0.2, 1.0, 0.5, 0.0, 0.25, 0.75, 0.1, 0.9};
        int[] ids = {BOS, 1, 2, 3, 4, 5, 6, 7};
        return new SaliencyMap("x < y & \"z\"", "doc<&>", "doc<&>.1", 0, 9, "Chemicals & Drugs", null, null,
                String.join("", tokens), ids, tokens, new int[] {9, 128009}, scores,
                SaliencyMap.ansi(tokens, scores), SaliencyMap.html(tokens, scores),
                "Name \"with\" <tags> & 'quotes'", "C<1>&2", 0.5, 1);
    }

    private static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile()); // throws on any unbalanced tag or bad entity
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (cls.equals(e.getAttribute("class"))) out.add(e);
        }
        return out;
    }

    private Path html(List<SaliencyMap> maps, Path file) throws IOException {
        StringWriter w = new StringWriter();
        SaliencyOutput.writeHtml(w, maps, BOS, "LongBEL saliency maps: test");
        Files.createDirectories(file.getParent());
        Files.writeString(file, w.toString());
        return file;
    }

    /** The seed example's page, with the reference's real scores; kept in target/saliency for a look in a browser. */
    @Test
    void seedReferencePageIsWellFormedAndGroupedByDocument() throws Exception {
        List<SaliencyMap> maps = referenceMaps("seed_beam5_saliency.json");
        Path file = html(maps, Path.of("target/saliency/seed-reference.html"));
        Document d = parseXml(file);
        assertEquals("LongBEL saliency maps: test", d.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(1, byClass(d, "section", "document").size());
        List<Element> mapDivs = byClass(d, "div", "map");
        assertEquals(4, mapDivs.size());
        for (int k = 0; k < 4; k++) {
            SaliencyMap m = maps.get(k);
            Element div = mapDivs.get(k);
            // BOS dropped: one span per other token, plus the prediction
            assertEquals(m.tokenIds().length - 1 + 1, div.getElementsByTagName("span").getLength());
            String text = div.getTextContent();
            assertFalse(text.contains("<|begin_of_text|>"));
            assertTrue(text.endsWith(" \u2192 " + m.predName() + " (" + m.predCode() + ")"), text);
            assertEquals(String.join("", m.tokenStrings().subList(1, m.tokenStrings().size())) + m.predictionSuffix(), text);
        }
        assertEquals(11, byClass(d, "p", "legend").getFirst().getElementsByTagName("span").getLength());
        SaliencyPng.writeAll(maps, Path.of("target/saliency/png"), BOS);
    }

    @Test
    void htmlEscapesTokensMentionsAndPredictions() throws Exception {
        SaliencyMap m = crafted();
        Path file = html(List.of(m), Path.of("target/saliency/crafted.html")); // kept for a look in a browser
        String raw = Files.readString(file);
        assertTrue(raw.contains("a&lt;b"), raw);
        assertTrue(raw.contains(" &amp;<"), raw);
        assertTrue(raw.contains("&quot;q&quot;"), raw);
        assertTrue(raw.contains("&#x27;s"), raw);
        assertTrue(raw.contains(" &lt;/span&gt;"), raw);
        assertTrue(raw.contains("x &lt; y &amp; &quot;z&quot;"), raw);
        assertTrue(raw.contains("Document doc&lt;&amp;&gt;"), raw);
        assertTrue(raw.contains("Name &quot;with&quot; &lt;tags&gt; &amp; &#x27;quotes&#x27; (C&lt;1&gt;&amp;2)"), raw);
        assertFalse(raw.contains("\u0007"), "control characters shown as pictures");
        Document d = parseXml(file);
        Element div = byClass(d, "div", "map").getFirst();
        assertEquals("a<b & \"q\"'s\n\u2407bell </span> \u2192 Name \"with\" <tags> & 'quotes' (C<1>&2)", div.getTextContent());
        assertEquals(8, div.getElementsByTagName("span").getLength()); // 7 tokens without BOS + prediction
        Element first = (Element) div.getElementsByTagName("span").item(0);
        assertEquals("background-color: rgb(255, 0, 0);", first.getAttribute("style"));
        assertEquals("x < y & \"z\" (Chemicals & Drugs)", ((Element) d.getElementsByTagName("h3").item(0)).getTextContent()
                .substring("doc<&>.1 ".length()));
    }

    @Test
    void jsonHasEveryField() throws IOException {
        SaliencyMap m = crafted();
        StringWriter w = new StringWriter();
        SaliencyOutput.writeJson(w, List.of(m, m));
        JsonNode all = JSON.readTree(w.toString());
        assertEquals(2, all.size());
        JsonNode n = all.get(0);
        for (String f : List.of("mention_id", "doc_id", "input_sentence", "token_ids", "token_strings", "generated_ids",
                "saliency_scores", "saliency_ansi", "saliency_html", "pred_concept_name", "pred_concept_code", "score", "rank")) {
            assertTrue(n.has(f), f);
        }
        assertEquals("doc<&>.1", n.get("mention_id").asText());
        assertEquals(" \"q\"", n.get("token_strings").get(3).asText());
        assertEquals(8, n.get("token_ids").size());
        assertEquals(128009, n.get("generated_ids").get(1).asInt());
        assertEquals(0.5, n.get("saliency_scores").get(2).asDouble());
        assertEquals(m.html(), n.get("saliency_html").asText());
        assertEquals(m.ansi(), n.get("saliency_ansi").asText());
        assertEquals(1, n.get("rank").asInt());
        assertTrue(n.get("gold_concept_code").isNull());
    }

    @Test
    void ansiLineDropsBosAndAppendsThePrediction() {
        SaliencyMap m = crafted();
        String line = SaliencyOutput.ansiLine(m, BOS);
        assertTrue(line.startsWith("doc<&>.1 x < y & \"z\": \u001b[48;2;255;0;0ma<b\u001b[0m"), line);
        assertFalse(line.contains("begin_of_text"));
        assertTrue(line.endsWith("\u001b[0m \u2192 Name \"with\" <tags> & 'quotes' (C<1>&2)"), line);
    }

    @Test
    void pngHasTheDocumentedSizeAndColours() throws IOException {
        SaliencyMap m = crafted();
        SaliencyPng.writeAll(List.of(m), dir.resolve("png"), BOS);
        Path file = dir.resolve("png").resolve("doc___.1.png");
        BufferedImage img = ImageIO.read(file.toFile());
        int[] cell = SaliencyPng.cell();
        // header, blank, "a<b & "q"'s↵" / "␇bell </span>", blank, prediction
        assertEquals(1 + 1 + 2 + 1 + 1, SaliencyPng.rows(m, BOS));
        assertEquals(2 * SaliencyPng.MARGIN + SaliencyPng.COLUMNS * cell[0], img.getWidth());
        assertEquals(2 * SaliencyPng.MARGIN + 6 * cell[1], img.getHeight());
        // the first token (score 1) starts the third row on pure red; a pixel near its cell's top left corner
        int rgb = img.getRGB(SaliencyPng.MARGIN + 1, SaliencyPng.MARGIN + 2 * cell[1] + 1) & 0xFFFFFF;
        assertEquals(0xFF0000, rgb);
        assertEquals(0xFFFFFF, img.getRGB(1, 1) & 0xFFFFFF);
        try (Stream<Path> files = Files.list(dir.resolve("png"))) {
            assertEquals(List.of("doc___.1.png"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void longTokensWrapAndTheSizeFollows() {
        List<String> tokens = new ArrayList<>(List.of("<|begin_of_text|>"));
        for (int i = 0; i < 60; i++) tokens.add(" word");
        tokens.add("x".repeat(250));
        double[] scores = new double[tokens.size()];
        int[] ids = new int[tokens.size()];
        ids[0] = BOS;
        SaliencyMap m = new SaliencyMap("m", "d", "d.1", 0, 1, "G", null, null, "", ids, tokens, new int[0], scores,
                "", "", "N", "C", 1.0, 1);
        // 60 × 5 = 300 cells = 3 full lines; then 250 cells: 100 + 100 + 50
        assertEquals(1 + 1 + 3 + 3 + 1 + 1, SaliencyPng.rows(m, BOS));
    }

    /**
     * End to end: any saliency option turns the maps on. With the model's backward pass every output is written; without
     * it the command fails naming it, and writes nothing (no target, no temporary file).
     */
    @Test
    void linkWritesEverySaliencyOutputOrFailsCleanly() throws Exception {
        Path out = dir.resolve("out.jsonl"), json = dir.resolve("sal.json"), page = dir.resolve("sal.html"),
                png = dir.resolve("png");
        CliRun run = CliRun.of("link", "--model", CliRun.fixtures().resolve("models/tiny-llama32").toString(),
                "--input", CliRun.fixtures().resolve("examples/seed_example.json").toString(), "--output", out.toString(),
                "--deterministic", "--no-progress", "--beams", "2", "--saliency-json", json.toString(),
                "--saliency", page.toString(), "--saliency-png", png.toString(), "--saliency-ansi");
        if (run.exitCode() != 0) { // until LlamaModel.inputGradientNorms lands
            assertTrue(run.err().contains("saliency maps need the model's backward pass"), run.err());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList());
            }
            return;
        }
        JsonNode maps = JSON.readTree(json.toFile());
        assertEquals(4, maps.size());
        assertEquals("001.1", maps.get(0).get("mention_id").asText());
        assertEquals(128000, maps.get(0).get("token_ids").get(0).asInt());
        Document d = parseXml(page);
        assertEquals(4, byClass(d, "div", "map").size());
        for (int k = 1; k <= 4; k++) assertTrue(Files.isRegularFile(png.resolve("001." + k + ".png")));
        assertTrue(run.err().contains("\u001b[48;2;255;"), run.err());
        assertTrue(JSON.readTree(run.out()).get("saliency").asBoolean());
    }

    /** The CLI links in a runtime without java.desktop (the GPU pack's): AWT is reached only for --saliency-png. */
    @Test
    void linkRunsWithoutJavaDesktop() throws Exception {
        Path out = dir.resolve("out.jsonl");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--limit-modules", "java.base,jdk.incubator.vector,java.sql",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.longbel.cli.Main", "link", "--model", CliRun.fixtures().resolve("models/tiny-llama32").toString(),
                "--input", CliRun.fixtures().resolve("examples/seed_example.json").toString(), "--output", out.toString(),
                "--deterministic", "--no-progress", "--beams", "1", "--compute-threads", "1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertEquals(4, Files.readAllLines(out).size());
        List<String> png = new ArrayList<>(cmd);
        png.addAll(List.of("--saliency-png", dir.resolve("png").toString()));
        Process q = new ProcessBuilder(png).redirectErrorStream(true).start();
        String said = new String(q.getInputStream().readAllBytes());
        assertEquals(1, q.waitFor(), said);
        assertTrue(said.contains("no java.desktop module"), said);
    }
}
