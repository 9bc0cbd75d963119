package org.longbel.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a NumPy .npy v1 file holding a C-order 2-D little-endian float32 ({@code <f4}) array. */
final class Npy {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

    private Npy() {
    }

    static float[][] readFloat32Matrix(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        buf.get(magic);
        if (!"\u0093NUMPY".equals(new String(magic, StandardCharsets.ISO_8859_1)) || buf.get() != 1) {
            throw new IOException(file + ": not a NumPy .npy version 1 file");
        }
        buf.get(); // minor version
        int headerLength = Short.toUnsignedInt(buf.getShort());
        byte[] header = new byte[headerLength];
        buf.get(header);
        String dict = new String(header, StandardCharsets.ISO_8859_1);
        if (!dict.contains("'descr': '<f4'") || !dict.contains("'fortran_order': False")) {
            throw new IOException(file + ": expected C-order <f4 data, header " + dict.trim());
        }
        Matcher m = SHAPE.matcher(dict);
        if (!m.find()) throw new IOException(file + ": expected a 2-D shape, header " + dict.trim());
        int rows = Integer.parseInt(m.group(1)), cols = Integer.parseInt(m.group(2));
        if (buf.remaining() != (long) rows * cols * Float.BYTES) {
            throw new IOException(file + ": " + buf.remaining() + " data bytes for shape (" + rows + ", " + cols + ")");
        }
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            for (int c = 0; c < cols; c++) row[c] = buf.getFloat();
        }
        return out;
    }
}
