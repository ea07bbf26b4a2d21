package org.seq4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.data.DataFormatException;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;

/**
 * NumPy {@code .npz} archives (a zip of {@code .npy} arrays, as {@code numpy.savez} writes them), the exchange format
 * for weights with PyTorch and Keras ({@code WeightImport}/{@code WeightExport}). Arrays are parsed strictly by
 * {@link Npy}; nothing in the file is executed. Entries larger than {@link #MAX_ENTRY_BYTES} are refused.
 */
public final class Npz {

    /** Largest array accepted in one entry (1 GiB), so that a crafted archive cannot exhaust memory. */
    public static final long MAX_ENTRY_BYTES = 1L << 30;

    private Npz() {
    }

    /** Reads every array of {@code file}, by name (without {@code .npy}), in archive order. */
    public static Map<String, INDArray> read(Path file) {
        Checks.require(file != null, "Npz.read: file must not be null");
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "" + (Files.isDirectory(file) ? "is a directory" : "no such file")
                    + "; expected a NumPy .npz archive");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!name.endsWith(".npy") || name.contains("/") || name.contains("\\")) {
                    throw new DataFormatException(file, 0, "entry '" + name + "' is not a top-level .npy array");
                }
                byte[] bytes = readBounded(zip, MAX_ENTRY_BYTES, () -> new DataFormatException(file, 0,
                        "entry '" + name + "' is larger than " + MAX_ENTRY_BYTES + " bytes; refused"));
                INDArray a;
                try {
                    a = Npy.read(bytes, "entry '" + name + "'");
                } catch (IllegalArgumentException | ArithmeticException ex) {
                    throw new DataFormatException(file, 0, ex.getMessage());
                }
                out.put(name.substring(0, name.length() - 4), a);
            }
        } catch (IOException ex) {
            throw new DataFormatException(file, 0, "not a readable .npz (zip) archive: " + ex.getMessage());
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "the archive holds no .npy arrays");
        }
        return out;
    }

    /**
     * Reads a zip entry whole, refusing it as soon as it inflates past {@code bound} bytes (so a zip bomb costs at
     * most the bound); {@code tooLarge} makes the error.
     */
    static byte[] readBounded(InputStream in, long bound, java.util.function.Supplier<RuntimeException> tooLarge)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > bound) {
                throw tooLarge.get();
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    /** Writes {@code arrays} to {@code file} atomically, one {@code NAME.npy} entry each. */
    public static void write(Path file, Map<String, INDArray> arrays) {
        Checks.require(arrays != null && !arrays.isEmpty(), "Npz.write: no arrays to write");
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    zip.write(Npy.write(e.getValue()));
                    zip.closeEntry();
                }
            }
        });
    }
}
