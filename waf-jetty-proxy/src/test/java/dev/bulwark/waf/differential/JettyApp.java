package dev.bulwark.waf.differential;

import jakarta.servlet.MultipartConfigElement;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jetty 12 (ee10) as applications deploy it: default compliance modes, servlet mapped at
 * {@code /*} with multipart enabled, and a {@link GzipHandler} that inflates compressed request
 * bodies (the "decompressing handler" of issue 7, class 7).
 */
final class JettyApp extends AppServer {

    private final Server server = new Server();
    private final ServerConnector params;
    private final ServerConnector body;
    private final Path tmp = Files.createTempDirectory("diff-jetty");

    JettyApp() throws Exception {
        super("jetty");
        params = connector();
        body = connector();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("app", servlet());
        holder.getRegistration().setMultipartConfig(
                new MultipartConfigElement(tmp.toString(), 4 << 20, 8 << 20, 1 << 20));
        context.addServlet(holder, "/*");
        GzipHandler gzip = new GzipHandler();
        gzip.setInflateBufferSize(8192);
        gzip.setHandler(context);
        server.setHandler(gzip);
        server.start();
    }

    private ServerConnector connector() {
        ServerConnector c = new ServerConnector(server, 1, 1);
        c.setHost("127.0.0.1");
        c.setPort(0);
        c.setIdleTimeout(10_000);
        server.addConnector(c);
        return c;
    }

    @Override
    int parameterPort() {
        return params.getLocalPort();
    }

    @Override
    int bodyPort() {
        return body.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            deleteTree(tmp);
        }
    }
}
