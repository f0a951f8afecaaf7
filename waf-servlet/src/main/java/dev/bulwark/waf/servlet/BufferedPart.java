package dev.bulwark.waf.servlet;

import jakarta.servlet.http.Part;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One part of a multipart body the filter buffered: a view on a slice of the request's body
 * array (no copy) plus its headers. Made by {@link MultipartBody}.
 *
 * <p>{@link #write(String)} only writes inside the upload directory (the multipart config
 * location, else the container's temporary directory, else {@code java.io.tmpdir}), whatever the
 * name, because applications often pass the client's file name straight through. {@link #delete()}
 * releases the content; files written with {@code write} belong to the application and stay.
 */
final class BufferedPart implements Part {

    private byte[] body;
    private final int offset;
    private final int length;
    private final String name;
    private final String fileName;
    private final String contentType;
    /** {name, value} pairs in arrival order. */
    private final List<String[]> headers;
    private final Path location;

    BufferedPart(byte[] body, int offset, int length, String name, String fileName, String contentType,
                 List<String[]> headers, Path location) {
        this.body = body;
        this.offset = offset;
        this.length = length;
        this.name = name;
        this.fileName = fileName;
        this.contentType = contentType;
        this.headers = headers;
        this.location = location;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        byte[] b = body;
        if (b == null) {
            throw new IOException("multipart part '" + name + "' was deleted");
        }
        return new ByteArrayInputStream(b, offset, length);
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getSubmittedFileName() {
        return fileName;
    }

    @Override
    public long getSize() {
        return length;
    }

    /** The content decoded with {@code charset}, for text fields exposed as parameters. */
    String text(Charset charset) {
        byte[] b = body;
        return b == null ? "" : new String(b, offset, length, charset);
    }

    @Override
    public void write(String target) throws IOException {
        byte[] b = body;
        if (b == null) {
            throw new IOException("multipart part '" + name + "' was deleted");
        }
        Path file = resolve(location, target);
        // No symbolic link as the file itself: it could point anywhere.
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.write(b, offset, length);
        }
    }

    /**
     * {@code target} resolved against {@code base}; an IOException when the result is not a file
     * strictly inside {@code base} (after {@code ..} removal and, for existing directories, after
     * following symbolic links).
     */
    static Path resolve(Path base, String target) throws IOException {
        if (target == null || target.isEmpty()) {
            throw new IOException("multipart part write: empty file name");
        }
        Path dir = base.toAbsolutePath().normalize();
        Path file;
        try {
            file = dir.resolve(target).normalize();
        } catch (InvalidPathException e) {
            throw new IOException("multipart part write: invalid file name '" + target + "'", e);
        }
        if (!file.startsWith(dir) || file.equals(dir)) {
            throw new IOException("multipart part write: '" + target + "' is outside the upload directory " + dir);
        }
        Path parent = file.getParent();
        if (Files.exists(dir) && Files.exists(parent)
                && !parent.toRealPath().startsWith(dir.toRealPath())) {
            throw new IOException("multipart part write: '" + target + "' leaves the upload directory through a link");
        }
        return file;
    }

    @Override
    public void delete() {
        body = null;
    }

    @Override
    public String getHeader(String headerName) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(headerName)) {
                return h[1];
            }
        }
        return null;
    }

    @Override
    public Collection<String> getHeaders(String headerName) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(headerName)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (String[] h : headers) {
            boolean seen = false;
            for (String n : names) {
                seen |= n.equalsIgnoreCase(h[0]);
            }
            if (!seen) {
                names.add(h[0]);
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return "BufferedPart[name=" + name + ", fileName=" + fileName + ", size=" + length + "]";
    }
}
