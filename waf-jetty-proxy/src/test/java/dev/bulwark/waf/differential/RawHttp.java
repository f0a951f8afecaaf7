package dev.bulwark.waf.differential;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 at the byte level: builds requests exactly as written (no client library that would
 * normalise the very ambiguities under test), sends them over a socket with timeouts, and reads
 * one message's framing (Content-Length, chunked or close-delimited).
 */
final class RawHttp {

    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 10_000;
    /** Upper bound on any message read here: the suite never needs more. */
    static final int MAX_MESSAGE = 16 << 20;

    private RawHttp() {
    }

    /** A response as read from the wire; status -1 when the peer closed without answering. */
    record Response(int status, String head, byte[] body) {
        static Response closed(String why) {
            return new Response(-1, why, new byte[0]);
        }
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} and reads one response. */
    static Response exchange(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may refuse and close while the body is still being written;
                // its answer, if any, is still in the receive buffer.
            }
            InputStream in = s.getInputStream();
            byte[] head;
            try {
                head = readHead(in);
            } catch (EOFException e) {
                return Response.closed("closed without a response");
            } catch (IOException e) {
                return Response.closed("no response: " + e);
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            int status = parseStatus(headText);
            byte[] body;
            try {
                body = readBody(in, headText, true);
            } catch (IOException e) {
                body = new byte[0];
            }
            return new Response(status, headText, body);
        } catch (SocketTimeoutException e) {
            return Response.closed("timeout");
        } catch (IOException e) {
            return Response.closed("connection failed: " + e);
        }
    }

    private static int parseStatus(String head) {
        // "HTTP/1.1 200 OK"
        int sp = head.indexOf(' ');
        if (sp < 0 || head.length() < sp + 4) {
            return -1;
        }
        try {
            return Integer.parseInt(head.substring(sp + 1, sp + 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads up to and including the blank line that ends a message head. */
    static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte p1 = 0;
        byte p2 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream in message head");
            }
            head.write(b);
            if (head.size() > 1 << 20) {
                throw new IOException("head too large");
            }
            // A blank line: LF LF, or LF CR LF.
            if (b == '\n' && (p1 == '\n' || (p1 == '\r' && p2 == '\n'))) {
                return head.toByteArray();
            }
            p2 = p1;
            p1 = (byte) b;
        }
    }

    /** The value of the first header named {@code name} in a message head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /**
     * Reads a body framed as the head says. {@code raw} keeps chunked framing and trailers as
     * sent (for replaying a recorded request); otherwise the chunks are joined.
     */
    static byte[] readBody(InputStream in, String head, boolean response) throws IOException {
        String te = header(head, "Transfer-Encoding");
        String cl = header(head, "Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(in, !response);
        }
        if (cl != null) {
            long n = Long.parseLong(cl.trim());
            if (n > MAX_MESSAGE) {
                throw new IOException("body too large: " + n);
            }
            return in.readNBytes((int) n);
        }
        if (!response) {
            return new byte[0];
        }
        // A response without framing ends when the server closes.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) >= 0 && body.size() < MAX_MESSAGE) {
            body.write(buf, 0, r);
        }
        return body.toByteArray();
    }

    private static byte[] readChunked(InputStream in, boolean keepFraming) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (keepFraming) {
                out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                // trailers up to the blank line
                while (true) {
                    String t = readLine(in);
                    if (keepFraming) {
                        out.writeBytes((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    if (t.isEmpty()) {
                        return out.toByteArray();
                    }
                }
            }
            if (out.size() + size > MAX_MESSAGE) {
                throw new IOException("chunked body too large");
            }
            out.write(in.readNBytes(size));
            String crlf = readLine(in);
            if (keepFraming) {
                out.writeBytes((crlf + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream in chunked body");
            }
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
            if (sb.length() > 8192) {
                throw new IOException("line too long");
            }
        }
    }

    /** Builds one raw request; headers appear once each, in the order given, spelled as given. */
    static final class Builder {
        private final String method;
        private final byte[] target;
        private final List<byte[]> headerLines = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean autoLength = true;
        private boolean host = true;
        private String eol = "\r\n";

        Builder(String method, byte[] target) {
            this.method = method;
            this.target = target;
        }

        Builder header(String name, String value) {
            headerLines.add((name + ": " + value).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** A header line given byte for byte (odd spacing, non-ASCII, folding). */
        Builder rawHeader(byte[] line) {
            headerLines.add(line);
            return this;
        }

        Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        Builder body(String body) {
            return body(body.getBytes(StandardCharsets.UTF_8));
        }

        /** The body carries its own framing (chunked, or a Content-Length header given explicitly). */
        Builder noAutoLength() {
            this.autoLength = false;
            return this;
        }

        /** The line end of the request line and header lines (CRLF unless set). */
        Builder eol(String eol) {
            this.eol = eol;
            return this;
        }

        Builder noHost() {
            this.host = false;
            return this;
        }

        byte[] build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(method.getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(target);
            out.writeBytes((" HTTP/1.1" + eol).getBytes(StandardCharsets.US_ASCII));
            if (host) {
                out.writeBytes(("Host: app.test" + eol).getBytes(StandardCharsets.US_ASCII));
            }
            for (byte[] line : headerLines) {
                out.writeBytes(line);
                out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
            }
            if (autoLength && (body.length > 0 || method.equals("POST") || method.equals("PUT"))) {
                out.writeBytes(("Content-Length: " + body.length + eol).getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    static Builder request(String method, String target) {
        return new Builder(method, target.getBytes(StandardCharsets.UTF_8));
    }

    static Builder request(String method, byte[] target) {
        return new Builder(method, target);
    }

    /** {@code body} in chunked framing, {@code size} bytes a chunk, then the given trailer lines. */
    static byte[] chunked(byte[] body, int size, String... trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += size) {
            int n = Math.min(size, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String t : trailers) {
            out.writeBytes((t + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
