package dev.bulwark.waf.proxy;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.util.Callback;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend for proxy tests: answers with the exact request body it received, reports the
 * forwarding headers it saw, and advertises its software the way real backends do.
 */
final class RecordingBackend implements AutoCloseable {

    final AtomicReference<String> lastForwardedFor = new AtomicReference<>();
    final AtomicReference<String> lastRequestId = new AtomicReference<>();
    final AtomicReference<String> lastPath = new AtomicReference<>();
    private final Server server = new Server();
    private final ServerConnector connector;

    RecordingBackend() throws Exception {
        // Like many real backends, accept whatever request target the proxy forwards.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    body = in.readAllBytes();
                }
                lastForwardedFor.set(request.getHeaders().get("X-Forwarded-For"));
                lastRequestId.set(request.getHeaders().get("X-Request-Id"));
                lastPath.set(request.getHttpURI().getPath());
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.SERVER, "Apache/2.4.1 (Unix)");
                response.getHeaders().put("X-Powered-By", "PHP/5.3.3");
                response.getHeaders().put("X-Seen-Method", request.getMethod());
                response.getHeaders().put("X-Seen-Proto", String.valueOf(request.getHeaders().get("X-Forwarded-Proto")));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                response.write(true, ByteBuffer.wrap(body.length == 0 ? "backend says hi".getBytes() : body), callback);
                return true;
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
