package org.seq4j.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a text file line by line, streaming, with the rules every seq4j reader shares: strict UTF-8 (invalid bytes
 * are an error naming the line, never silently replaced), gzip detected from the file's first bytes whatever its name,
 * a leading byte-order mark dropped, and LF, CRLF and CR line ends all accepted.
 */
public final class TextLines {

    /** Receives each line with its 1-based number. */
    @FunctionalInterface
    public interface LineConsumer {
        void accept(long number, String line);
    }

    private TextLines() {
    }

    /** Calls {@code consumer} for every line of {@code file}. */
    public static void forEach(Path file, LineConsumer consumer) {
        try (InputStream in = open(file)) {
            forEach(in, file, consumer);
        } catch (java.nio.file.FileSystemException e) {
            throw new UncheckedIOException(file + ": " + e.getReason(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Calls {@code consumer} for every line of {@code stream} (gzip is not detected here: see {@link #open}); errors
     * name {@code name}. The stream is not closed.
     */
    public static void forEach(InputStream stream, Path name, LineConsumer consumer) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        Path file = name;
        try {
            InputStream in = stream instanceof BufferedInputStream ? stream : new BufferedInputStream(stream, 1 << 16);
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            long number = 0;
            int b = in.read();
            while (b != -1) {
                buf.reset();
                while (b != -1 && b != '\n' && b != '\r') {
                    buf.write(b);
                    b = in.read();
                }
                if (b == '\r') {
                    b = in.read();
                    if (b == '\n') {
                        b = in.read();
                    }
                } else if (b == '\n') {
                    b = in.read();
                }
                number++;
                String line;
                try {
                    line = utf8.decode(ByteBuffer.wrap(buf.toByteArray())).toString();
                } catch (CharacterCodingException e) {
                    throw new DataFormatException(file, number, "invalid UTF-8 bytes; seq4j reads text as UTF-8 "
                            + "(convert the file, e.g. iconv -f LATIN1 -t UTF-8)");
                }
                if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                consumer.accept(number, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code file}, decompressed when it starts with the gzip magic bytes. */
    public static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory, expected a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null,
                    "permission denied (the file exists but this user cannot read it)");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
