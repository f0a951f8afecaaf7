package dev.bulwark.waf.proxy;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.servlet.BodyBudget;
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
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;

/**
 * A running Bulwark reverse proxy: a Jetty server whose every request passes the
 * {@link WafFilter} before a proxy servlet forwards it to the backend. {@code /bulwark/health}
 * answers locally. Close it to stop.
 *
 * <p>Request bodies are received without holding a thread ({@link BodyBufferingHandler}) within
 * the body timeout and minimum rate of the {@link Options}, and within the WAF's
 * {@code limits.maxInFlightBodyBytes}, shared with the filter. Error answers of Jetty itself
 * (malformed requests, backend failures) are the same minimal page as blocks.
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
    /** Pending connections the kernel may queue before the proxy accepts them. */
    static final int ACCEPT_QUEUE = 4096;

    /**
     * How the proxy treats slow clients and backends.
     *
     * @param bodyTimeout longest time a request body may take to arrive (default 30 s); then 408
     * @param minBodyRate lowest average body rate in bytes per second, checked after the first
     *        {@value BodyBufferingHandler#RATE_GRACE_MS} ms (default 1024; 0 turns the check off); then 408
     * @param backendTimeout longest time the backend may take for a whole response (default 60 s); then 504
     * @param maxThreads size of the request thread pool (default 200)
     */
    public record Options(Duration bodyTimeout, long minBodyRate, Duration backendTimeout, int maxThreads) {
        public Options {
            if (bodyTimeout == null || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
                throw new IllegalArgumentException("bodyTimeout must be positive");
            }
            if (minBodyRate < 0) {
                throw new IllegalArgumentException("minBodyRate must not be negative");
            }
            if (backendTimeout == null || backendTimeout.isNegative() || backendTimeout.isZero()) {
                throw new IllegalArgumentException("backendTimeout must be positive");
            }
            if (maxThreads < 16) {
                throw new IllegalArgumentException("maxThreads must be at least 16");
            }
        }

        /** 30 s body timeout, 1024 bytes/s minimum body rate, 60 s backend timeout, 200 threads. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), 1024, Duration.ofMillis(BACKEND_TIMEOUT_MS), 200);
        }

        public Options withBodyTimeout(Duration v) {
            return new Options(v, minBodyRate, backendTimeout, maxThreads);
        }

        public Options withMinBodyRate(long v) {
            return new Options(bodyTimeout, v, backendTimeout, maxThreads);
        }

        public Options withBackendTimeout(Duration v) {
            return new Options(bodyTimeout, minBodyRate, v, maxThreads);
        }

        public Options withMaxThreads(int v) {
            return new Options(bodyTimeout, minBodyRate, backendTimeout, v);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final Waf waf;
    private final URI backend;
    private final BodyBudget budget;

    private ProxyServer(Server server, ServerConnector connector, Waf waf, URI backend, BodyBudget budget) {
        this.server = server;
        this.connector = connector;
        this.waf = waf;
        this.backend = backend;
        this.budget = budget;
    }

    /**
     * Starts a proxy listening on {@code host:port} (port 0 picks a free one) that forwards to
     * {@code backend} (scheme, host, port and an optional base path).
     *
     * @throws Exception when the server cannot start, for example because the port is taken
     */
    public static ProxyServer start(Waf waf, String host, int port, URI backend) throws Exception {
        return start(waf, host, port, backend, Options.defaults());
    }

    /** As {@link #start(Waf, String, int, URI)}, with the given slow-client and backend settings. */
    public static ProxyServer start(Waf waf, String host, int port, URI backend, Options options) throws Exception {
        Objects.requireNonNull(waf, "waf");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(options, "options");
        QueuedThreadPool threads = new QueuedThreadPool(options.maxThreads(), 8);
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
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        // Parser errors (400/414/431...) and anything Jetty answers itself: the minimal page.
        server.setErrorHandler(new MinimalErrorHandler());

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setErrorHandler(new MinimalErrorHandler.ForServlets());
        Limits limits = waf.limits();
        BodyBudget budget = new BodyBudget(limits.maxInFlightBodyBytes());
        FilterHolder filter = new FilterHolder(new WafFilter(waf).bodyBudget(budget));
        filter.setName("bulwark");
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("health", new HealthServlet()), "/bulwark/health");

        ServletHolder proxy = new ServletHolder("proxy", new BackendProxyServlet());
        proxy.setAsyncSupported(true);
        String target = backend.toString();
        proxy.setInitParameter("proxyTo", target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
        proxy.setInitParameter("timeout", Long.toString(options.backendTimeout().toMillis()));
        proxy.setInitParameter("idleTimeout", Long.toString(IDLE_TIMEOUT_MS));
        proxy.setInitParameter("maxConnections", "256");
        proxy.setInitParameter("viaHost", "bulwark");
        context.addServlet(proxy, "/*");

        boolean enforce = waf.mode() == Mode.ON;
        server.setHandler(new BodyBufferingHandler(context, budget, limits.maxRequestBodyBytes(), enforce,
                options.bodyTimeout().toMillis(), options.minBodyRate()));
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new ProxyServer(server, connector, waf, backend, budget);
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

    /** The memory bound shared by the body buffering and the filter. */
    public BodyBudget bodyBudget() {
        return budget;
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
