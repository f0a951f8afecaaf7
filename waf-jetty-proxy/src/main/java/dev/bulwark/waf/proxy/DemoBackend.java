package dev.bulwark.waf.proxy;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A tiny backend to try the proxy with: every request gets a small HTML page echoing its method,
 * path, query parameters and body (HTML-escaped, the body cut at {@value #SHOWN_BODY} bytes).
 * It is what {@code bulwark-proxy --demo} forwards to, so that {@code curl} through the proxy
 * shows something right away.
 */
public final class DemoBackend implements AutoCloseable {

    static final int SHOWN_BODY = 4096;

    private final Server server;
    private final ServerConnector connector;

    private DemoBackend(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts the demo backend on {@code host:port} (port 0 picks a free one). */
    public static DemoBackend start(String host, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("bulwark-demo");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Echo whatever target the proxy lets through (%2F in a path, say), as many backends do.
        http.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new EchoHandler());
        server.start();
        return new DemoBackend(server, connector);
    }

    /** The base URI of the backend, for example {@code http://127.0.0.1:40123}. */
    public URI uri() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Renders the echo page. */
    private static final class EchoHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readNBytes(SHOWN_BODY);
                // Drain the rest so the connection stays usable; its size is all we report.
                long more = in.transferTo(java.io.OutputStream.nullOutputStream());
                StringBuilder html = new StringBuilder(512);
                html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Bulwark demo backend</title>")
                        .append("</head>\n<body><h1>Bulwark demo backend</h1>\n<p>This page was served by the demo ")
                        .append("backend, through the Bulwark proxy if you called the proxy.</p>\n<dl>\n")
                        .append("<dt>Method</dt><dd>").append(escape(request.getMethod())).append("</dd>\n")
                        .append("<dt>Path</dt><dd>").append(escape(request.getHttpURI().getPath())).append("</dd>\n")
                        .append("<dt>Query parameters</dt><dd><ul>");
                Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                for (Fields.Field f : query) {
                    for (String v : f.getValues()) {
                        html.append("<li>").append(escape(f.getName())).append(" = ").append(escape(v)).append("</li>");
                    }
                }
                html.append("</ul></dd>\n<dt>Body (").append(body.length + more).append(" bytes)</dt><dd><pre>")
                        .append(escape(new String(body, StandardCharsets.UTF_8)))
                        .append(more > 0 ? "\n[...]" : "").append("</pre></dd>\n</dl>\n</body></html>\n");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
                Content.Sink.write(response, true, html.toString(), callback);
            }
            return true;
        }
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
