package dev.bulwark.waf.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;

import java.util.Locale;
import java.util.Set;

/**
 * Forwards to the backend given by the {@code proxyTo} init parameter. Adds the de facto
 * {@code X-Forwarded-*} headers (Jetty itself only adds {@code Forwarded} and {@code Via}) and
 * hides the backend's identity by dropping the headers that name its software.
 */
final class BackendProxyServlet extends ProxyServlet.Transparent {

    private static final Set<String> HIDDEN = Set.of("server", "x-powered-by", "x-aspnet-version",
            "x-aspnetmvc-version");

    @Override
    protected String filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
                                                String headerName, String headerValue) {
        if (HIDDEN.contains(headerName.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return super.filterServerResponseHeader(clientRequest, serverResponse, headerName, headerValue);
    }

    /**
     * Null (a clean 400, see {@link #onProxyRewriteFailed}) for a target that cannot become a URI,
     * such as a query with a malformed escape ({@code ?q=%u0F}): Jetty's own rewrite would
     * throw, and the container would answer 500 with the exception, backend address included.
     */
    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest) {
        try {
            return super.rewriteTarget(clientRequest);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
        sendProxyResponseError(clientRequest, proxyResponse, HttpServletResponse.SC_BAD_REQUEST);
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        super.addProxyHeaders(clientRequest, proxyRequest);
        String client = clientRequest.getRemoteAddr();
        String prior = clientRequest.getHeader("X-Forwarded-For");
        String host = clientRequest.getHeader("Host");
        proxyRequest.headers(h -> {
            // Append, as every proxy in a chain does; the backend decides which hops it trusts.
            h.put("X-Forwarded-For", prior == null || prior.isBlank() ? client : prior + ", " + client);
            h.put("X-Forwarded-Proto", clientRequest.getScheme());
            h.put("X-Forwarded-Port", Integer.toString(clientRequest.getLocalPort()));
            if (host != null) {
                h.put("X-Forwarded-Host", host);
            }
        });
    }
}
