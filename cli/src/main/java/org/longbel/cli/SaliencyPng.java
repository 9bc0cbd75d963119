package org.longbel.cli;

import org.longbel.linker.SaliencyMap;
import org.longbel.linker.output.AtomicOutputFile;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --saliency-png DIR}: one PNG per mention, drawn with Java2D (headless). The only class of the CLI that uses
 * {@code java.desktop}: {@link LinkCommand} reaches it only when PNGs are asked for, so a runtime without that module
 * runs everything else.
 *
 * <p>Layout, on a grid of character cells of a 14-point monospaced font ({@code cw} = the width of {@code M},
 * {@code lh} = the font's line height + 2): a header line ({@code mention_id  mention  (group)}), a blank line, the
 * prompt tokens without the BOS, each on its background colour (a newline token shows as {@code ↵} and breaks the
 * line; a token that would pass column {@value #COLUMNS} starts a new line, a longer one is cut), a blank line, and
 * the prediction line ({@code → name (code)  score S}); header and prediction wrap at {@value #COLUMNS} columns too.
 * Image size: width = 2 × {@value #MARGIN} + {@value #COLUMNS} × cw, height = 2 × {@value #MARGIN} + rows × lh with
 * rows = header lines + 1 + token lines + 1 + prediction lines ({@link #rows}).
 */
final class SaliencyPng {
    static final int COLUMNS = 100;
    static final int MARGIN = 12;
    static final int FONT_SIZE = 14;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SaliencyPng() {
    }

    /** One drawn piece: text at a cell, on its score's colour (NaN: no background). */
    record Piece(String text, int row, int col, double score, boolean bold) {
        int cells() {
            return text.codePointCount(0, text.length());
        }
    }

    /** The pieces of a map on the cell grid and its number of rows. */
    record Layout(List<Piece> pieces, int rows) {
    }

    /** Lays {@code m} out on a grid {@link #COLUMNS} wide, the token at index 0 dropped when it is {@code bos}. */
    static Layout layout(SaliencyMap m, int bos) {
        List<Piece> pieces = new ArrayList<>();
        int row = wrap(m.mentionId() + "  " + m.mention() + "  (" + m.semanticGroup() + ")", 0, Double.NaN, true, pieces);
        row++; // blank
        int col = 0;
        int from = m.tokenIds().length > 0 && m.tokenIds()[0] == bos ? 1 : 0;
        for (int i = from; i < m.tokenIds().length; i++) {
            String token = m.tokenStrings().get(i).replace("\t", "    ");
            double s = m.scores()[i];
            String[] parts = token.split("\n", -1);
            for (int p = 0; p < parts.length; p++) {
                String part = SaliencyOutput.visible(parts[p]);
                boolean newline = p < parts.length - 1;
                String shown = newline ? part + "\u21b5" : part;
                int n = shown.codePointCount(0, shown.length());
                if (n > 0 && col > 0 && col + n > COLUMNS) {
                    row++;
                    col = 0;
                }
                while (n > COLUMNS) { // a token longer than a line is cut
                    int cut = shown.offsetByCodePoints(0, COLUMNS);
                    pieces.add(new Piece(shown.substring(0, cut), row++, 0, s, false));
                    shown = shown.substring(cut);
                    n -= COLUMNS;
                }
                if (n > 0) pieces.add(new Piece(shown, row, col, s, false));
                col += n;
                if (newline) {
                    row++;
                    col = 0;
                }
            }
        }
        if (col > 0) row++;
        row++; // blank
        row = wrap(String.format(Locale.ROOT, "\u2192 %s (%s)  score %.4f", m.predName(), m.predCode(), m.score()),
                row, Double.NaN, true, pieces);
        return new Layout(pieces, row);
    }

    /** Adds {@code text} from {@code row}, wrapped at {@link #COLUMNS}; returns the row after it. */
    private static int wrap(String text, int row, double score, boolean bold, List<Piece> pieces) {
        String t = SaliencyOutput.visible(text.replace('\n', ' ').replace("\t", " "));
        do {
            int n = t.codePointCount(0, t.length());
            int cut = n > COLUMNS ? t.offsetByCodePoints(0, COLUMNS) : t.length();
            pieces.add(new Piece(t.substring(0, cut), row++, 0, score, bold));
            t = t.substring(cut);
        } while (!t.isEmpty());
        return row;
    }

    /** Header, blank, token lines, blank, prediction lines. */
    static int rows(SaliencyMap m, int bos) {
        return layout(m, bos).rows();
    }

    private static final Font FONT = new Font(Font.MONOSPACED, Font.PLAIN, FONT_SIZE);
    private static final Font BOLD = FONT.deriveFont(Font.BOLD);

    /** Cell width and line height of the font: {@code {cw, lh}}. */
    static int[] cell() {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        try {
            FontMetrics fm = g.getFontMetrics(FONT);
            return new int[] {fm.charWidth('M'), fm.getHeight() + 2};
        } finally {
            g.dispose();
        }
    }

    /** The image of one map. */
    static BufferedImage render(SaliencyMap m, int bos) {
        Layout layout = layout(m, bos);
        int[] cell = cell();
        int cw = cell[0], lh = cell[1];
        BufferedImage img = new BufferedImage(2 * MARGIN + COLUMNS * cw, 2 * MARGIN + layout.rows() * lh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (Piece p : layout.pieces()) {
                int x = MARGIN + p.col() * cw, y = MARGIN + p.row() * lh;
                if (!Double.isNaN(p.score())) {
                    int c = SaliencyMap.fade(p.score());
                    g.setColor(new Color(255, c, c));
                    g.fillRect(x, y, p.cells() * cw, lh);
                }
                g.setColor(p.bold() ? Color.BLACK : new Color(0x22, 0x22, 0x22));
                g.setFont(p.bold() ? BOLD : FONT);
                FontMetrics fm = g.getFontMetrics();
                // each code point in its cell, so that the grid holds whatever the glyphs' widths
                int k = 0;
                for (int i = 0; i < p.text().length(); ) {
                    int cp = p.text().codePointAt(i);
                    g.drawString(new String(Character.toChars(cp)), x + k * cw, y + 1 + fm.getAscent());
                    i += Character.charCount(cp);
                    k++;
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The file name of a mention's PNG: its id, characters other than {@code A-Z a-z 0-9 . _ -} as {@code _}. */
    static String fileName(SaliencyMap m) {
        return m.mentionId().replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    }

    /** Writes {@code dir/<mention_id>.png} for every map, each file atomically. */
    static void writeAll(List<SaliencyMap> maps, Path dir, int bos) throws IOException {
        for (SaliencyMap m : maps) {
            BufferedImage img = render(m, bos);
            try (AtomicOutputFile f = new AtomicOutputFile(dir.resolve(fileName(m)))) {
                OutputStream out = f.outputStream();
                if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this Java runtime");
                out.flush();
                f.commit();
            }
        }
    }
}
