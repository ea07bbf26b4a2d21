package org.seq4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * NumPy's {@code .npy} array format (versions 1.0-3.0), parsed strictly in Java: the header is checked (magic,
 * version, dtype {@code <f4 <f8 <i4 <i8}, order, shape) and the data must be exactly {@code shape × itemsize}
 * bytes before anything is allocated, so a truncated or crafted array is an error, never a native crash or a huge
 * allocation. Written little-endian, C order, version 1.0.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Parses one array; {@code what} names it in error messages (e.g. "model.zip entry 'params.npy'"). */
    public static INDArray read(byte[] bytes, String what) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException(what + ": not a .npy array (bad magic bytes)");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException(what + ": truncated .npy header");
            }
            headerLen = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new IllegalArgumentException(what + ": unsupported .npy version " + major);
        }
        if (start + headerLen > bytes.length) {
            throw new IllegalArgumentException(what + ": truncated .npy header");
        }
        String header = new String(bytes, start, (int) headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException(what + ": malformed .npy header " + Checks.quote(header));
        }
        String descr = d.group(1);
        DataType type;
        int item;
        switch (descr) {
            case "<f4" -> { type = DataType.FLOAT; item = 4; }
            case "<f8" -> { type = DataType.DOUBLE; item = 8; }
            case "<i4" -> { type = DataType.INT; item = 4; }
            case "<i8" -> { type = DataType.LONG; item = 8; }
            default -> throw new IllegalArgumentException(what + ": unsupported dtype " + Checks.quote(descr)
                    + " (expected <f4, <f8, <i4 or <i8)");
        }
        boolean fortran = f.group(1).equals("True");
        String[] dims = s.group(1).trim().isEmpty() ? new String[0] : s.group(1).split(",");
        long[] shape = Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(x -> {
            try {
                long v = Long.parseLong(x);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": bad dimension " + Checks.quote(x) + " in .npy shape");
            }
        }).toArray();
        long n = 1;
        for (long dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        long data = bytes.length - start - headerLen;
        if (n * item != data) {
            throw new IllegalArgumentException(what + ": .npy shape " + Arrays.toString(shape) + " needs " + n * item
                    + " bytes of data, the entry has " + data + (n * item > data ? " (truncated)" : ""));
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, (int) (start + headerLen), (int) data).order(ByteOrder.LITTLE_ENDIAN);
        long[] ndShape = shape.length == 0 ? new long[] {1} : shape;
        INDArray out;
        switch (type) {
            case FLOAT -> {
                float[] v = new float[(int) n];
                body.asFloatBuffer().get(v);
                out = Nd4j.create(v, ndShape, fortran ? 'f' : 'c');
            }
            case DOUBLE -> {
                double[] v = new double[(int) n];
                body.asDoubleBuffer().get(v);
                out = Nd4j.create(v, ndShape, fortran ? 'f' : 'c');
            }
            case INT -> {
                int[] v = new int[(int) n];
                body.asIntBuffer().get(v);
                out = Nd4j.createFromArray(v).reshape(fortran ? 'f' : 'c', ndShape);
            }
            default -> {
                long[] v = new long[(int) n];
                body.asLongBuffer().get(v);
                out = Nd4j.createFromArray(v).reshape(fortran ? 'f' : 'c', ndShape);
            }
        }
        return out.dup('c');
    }

    /** The {@code .npy} bytes of {@code a} (C order, little-endian). */
    public static byte[] write(INDArray a) {
        INDArray c = a.dup('c');
        String descr;
        int item;
        switch (c.dataType()) {
            case FLOAT -> { descr = "<f4"; item = 4; }
            case DOUBLE -> { descr = "<f8"; item = 8; }
            case INT -> { descr = "<i4"; item = 4; }
            case LONG -> { descr = "<i8"; item = 8; }
            default -> throw new IllegalArgumentException("Npy.write: unsupported data type " + c.dataType());
        }
        StringBuilder shape = new StringBuilder();
        for (long dim : c.shape()) {
            shape.append(dim).append(", ");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + (c.rank() == 1 ? shape : shape.toString().replaceAll(", $", "")) + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        long n = c.length();
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + (int) (n * item)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (c.dataType()) {
            case FLOAT -> b.asFloatBuffer().put(c.data().asFloat());
            case DOUBLE -> b.asDoubleBuffer().put(c.data().asDouble());
            case INT -> b.asIntBuffer().put(c.data().asInt());
            default -> b.asLongBuffer().put(c.data().asLong());
        }
        return b.array();
    }
}
