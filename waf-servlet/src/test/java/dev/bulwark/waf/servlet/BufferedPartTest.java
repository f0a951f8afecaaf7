package dev.bulwark.waf.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BufferedPart#write(String)} stays inside its upload directory. */
class BufferedPartTest {

    @TempDir
    Path root;

    private BufferedPart part(Path location) {
        byte[] buf = "xxHELLOyy".getBytes(StandardCharsets.US_ASCII);
        return new BufferedPart(buf, 2, 5, "f", "../../etc/passwd", "text/plain", List.of(), location);
    }

    @Test
    void relativeNamesAreWrittenInsideTheLocation() throws Exception {
        Path dir = Files.createDirectory(root.resolve("up"));
        Files.createDirectory(dir.resolve("sub"));
        BufferedPart p = part(dir);
        p.write("a.txt");
        p.write("sub/../b.txt");
        p.write(dir.resolve("sub/c.txt").toString()); // absolute, but inside
        assertArrayEquals("HELLO".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir.resolve("a.txt")));
        assertTrue(Files.exists(dir.resolve("b.txt")));
        assertTrue(Files.exists(dir.resolve("sub/c.txt")));
    }

    @Test
    void traversalAbsoluteAndLinkEscapesAreRefused() throws Exception {
        Path dir = Files.createDirectory(root.resolve("up"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        BufferedPart p = part(dir);
        for (String name : new String[] {"../x", "a/../../x", outside.resolve("x").toString(), "", ".", "sub/.."}) {
            assertThrows(IOException.class, () -> p.write(name), name);
        }
        assertThrows(IOException.class, () -> p.write(p.getSubmittedFileName()));
        try {
            Files.createSymbolicLink(dir.resolve("link"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links on this file system
        }
        assertThrows(IOException.class, () -> p.write("link/x"));
        Files.createSymbolicLink(dir.resolve("file-link"), outside.resolve("target"));
        assertThrows(IOException.class, () -> p.write("file-link"));
        assertFalse(Files.exists(outside.resolve("x")));
        assertFalse(Files.exists(outside.resolve("target")));
    }
}
