package dev.bulwark.waf.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's backend: records every request the proxy forwards byte for byte (head and body,
 * chunked framing included), so that exactly those bytes can be replayed into real application
 * servers, and answers 200. A socket server rather than Jetty, so nothing is normalised on the way.
 */
final class RawRecordingBackend implements AutoCloseable {

    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    RawRecordingBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "raw-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Forgets what was recorded so far (before each case). */
    void clear() {
        received.clear();
    }

    /** The next forwarded request, or null if none arrives within {@code millis}. */
    byte[] next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
            InputStream in = s.getInputStream();
            byte[] head = RawHttp.readHead(in);
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            byte[] body = RawHttp.readBody(in, headText, false);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head);
            all.writeBytes(body);
            received.add(all.toByteArray());
            s.getOutputStream().write(OK);
            s.getOutputStream().flush();
        } catch (IOException | RuntimeException e) {
            // An aborted forward: nothing complete was received, so nothing is recorded.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
