package dev.bulwark.waf.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

/** An embedded Jetty (ee10) on an ephemeral loopback port with a filter in front of one servlet. */
final class JettyHarness implements AutoCloseable {

    private final Server server;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JettyHarness(Filter filter, Map<String, String> filterParams, HttpServlet servlet) throws Exception {
        this(filter, filterParams, servlet, null);
    }

    /** With {@code multipart} non-null the servlet gets that multipart config, as {@code @MultipartConfig} would. */
    JettyHarness(Filter filter, Map<String, String> filterParams, HttpServlet servlet, MultipartConfigElement multipart)
            throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder fh = new FilterHolder(filter);
        fh.setAsyncSupported(true);
        fh.setInitParameters(filterParams);
        context.addFilter(fh, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder sh = new ServletHolder(servlet);
        sh.setAsyncSupported(true);
        if (multipart != null) {
            sh.getRegistration().setMultipartConfig(multipart);
        }
        context.addServlet(sh, "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes (for requests java.net.http refuses to build) and returns the whole answer. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
