package dev.bulwark.waf.proxy;

import dev.bulwark.waf.Waf;
import dev.bulwark.waf.servlet.WafFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;

/**
 * A running Bulwark reverse proxy: a Jetty server whose every request passes the
 * {@link WafFilter} before a proxy servlet forwards it to the backend. {@code /bulwark/health}
 * answers locally. Close it to stop.
 *
 * <pre>{@code
 * try (ProxyServer proxy = ProxyServer.start(waf, "127.0.0.1", 8080, URI.create("http://127.0.0.1:9000"))) {
 *     proxy.join();
 * }
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {

    /** Idle time before an inactive client or backend connection is closed. */
    static final long IDLE_TIMEOUT_MS = 30_000;
    /** Longest time a backend may take for a whole response. */
    static final long BACKEND_TIMEOUT_MS = 60_000;

    private final Server server;
    private final ServerConnector connector;
    private final Waf waf;
    private final URI backend;

    private ProxyServer(Server server, ServerConnector connector, Waf waf, URI backend) {
        this.server = server;
        this.connector = connector;
        this.waf = waf;
        this.backend = backend;
    }

    /**
     * Starts a proxy listening on {@code host:port} (port 0 picks a free one) that forwards to
     * {@code backend} (scheme, host, port and an optional base path).
     *
     * @throws Exception when the server cannot start, for example because the port is taken
     */
    public static ProxyServer start(Waf waf, String host, int port, URI backend) throws Exception {
        Objects.requireNonNull(waf, "waf");
        Objects.requireNonNull(backend, "backend");
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("bulwark-proxy");
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        // No Server or X-Powered-By header of our own: the proxy must not advertise itself either.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Ambiguous or odd request targets (%2F in a path, encoded dots, bad UTF-8) are exactly
        // what attackers send: Jetty must hand them to the WAF to decide, not answer 400 itself.
        // What passes the rules is forwarded as received. (Targets that climb above the root,
        // such as /a/../../etc, still get Jetty's own 400 before any handler runs.)
        http.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        FilterHolder filter = new FilterHolder(new WafFilter(waf));
        filter.setName("bulwark");
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("health", new HealthServlet()), "/bulwark/health");

        ServletHolder proxy = new ServletHolder("proxy", new BackendProxyServlet());
        proxy.setAsyncSupported(true);
        String target = backend.toString();
        proxy.setInitParameter("proxyTo", target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
        proxy.setInitParameter("timeout", Long.toString(BACKEND_TIMEOUT_MS));
        proxy.setInitParameter("idleTimeout", Long.toString(IDLE_TIMEOUT_MS));
        proxy.setInitParameter("maxConnections", "256");
        proxy.setInitParameter("viaHost", "bulwark");
        context.addServlet(proxy, "/*");

        server.setHandler(context);
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new ProxyServer(server, connector, waf, backend);
    }

    /** The port actually bound. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URI clients use, for example {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    /** The backend requests are forwarded to. */
    public URI backend() {
        return backend;
    }

    /** The WAF in front of the backend. */
    public Waf waf() {
        return waf;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
