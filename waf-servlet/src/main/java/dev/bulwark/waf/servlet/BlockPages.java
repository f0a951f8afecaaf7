package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Verdict;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Writes the client-facing answer for an interrupting verdict. The page shows the status and the
 * request id only: rule ids, messages and matched data stay in the audit log, so an attacker
 * learns nothing about which rule fired.
 *
 * <p>Public only for servers that embed the filter and answer some errors themselves (the
 * proxy's error handler): {@link #html(int, String)} is the one page every refusal looks like.
 */
public final class BlockPages {

    private static final Logger LOG = LoggerFactory.getLogger(BlockPages.class);

    /** Response (and forwarded request) header carrying the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Request attribute holding the transaction id once the filter has seen the request. */
    public static final String REQUEST_ID_ATTRIBUTE = BufferedRequest.REQUEST_ID_ATTRIBUTE;

    /** What a 503 asks the client to wait before retrying. */
    static final String RETRY_AFTER_SECONDS = "2";

    private BlockPages() {
    }

    /**
     * Answers with {@code verdict} if the response is not committed yet. Returns false when it was
     * committed already (the caller can then only log).
     */
    static boolean send(HttpServletRequest request, HttpServletResponse response, Verdict verdict, String requestId) {
        if (verdict instanceof Verdict.Drop) {
            drop(request, response, requestId);
            return true;
        }
        if (response.isCommitted()) {
            return false;
        }
        try {
            if (verdict instanceof Verdict.Redirect r) {
                response.reset();
                int status = r.status() >= 300 && r.status() < 400 ? r.status() : 302;
                response.setStatus(status);
                response.setHeader("Location", r.location());
                response.setHeader(REQUEST_ID_HEADER, requestId);
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(0);
                response.flushBuffer();
            } else if (verdict instanceof Verdict.Deny d) {
                page(response, d.status() >= 400 && d.status() <= 599 ? d.status() : 403, requestId);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the container refused; nothing useful left to send.
            LOG.debug("could not send block page for request {}", requestId, e);
        }
        return true;
    }

    /** Sends the small block page with {@code status}, replacing anything not yet committed. */
    static void page(HttpServletResponse response, int status, String requestId) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        byte[] body = html(status, requestId).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.setHeader(REQUEST_ID_HEADER, requestId);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (status == 503) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        response.setContentLength(body.length);
        OutputStream out = response.getOutputStream();
        out.write(body);
        out.flush();
    }

    /**
     * 503 with {@code Retry-After}: the server has no room for the request right now (the body
     * budget is spent), which is not the client's fault and may work a moment later.
     */
    static void busy(HttpServletResponse response, String requestId) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        page(response, 503, requestId);
    }

    /** The page text; the request id is escaped even though it is always sane, to stay safe. */
    public static String html(int status, String requestId) {
        String title = status + " " + reason(status);
        String text = status == 413 ? "The request body is too large."
                : status == 414 || status == 431 ? "The request is too large."
                : status == 408 ? "The request took too long."
                : status == 400 ? "The request could not be understood."
                : status >= 500 ? "The request could not be processed."
                : "This request was blocked by the web application firewall.";
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1>\n<p>" + text + "</p>\n"
                + "<p>Request id: <code>" + escape(requestId) + "</code></p>\n</body></html>\n";
    }

    static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 408: return "Request Timeout";
            case 413: return "Payload Too Large";
            case 414: return "URI Too Long";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return status < 500 ? "Request Rejected" : "Server Error";
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
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

    /**
     * Closes the connection without an answer. The Servlet API has no portable way to do this, so
     * on Jetty the channel is aborted through its public (but container-specific) API, found by
     * reflection to keep this module free of a Jetty dependency; elsewhere the best we can do is
     * an empty block answer with {@code Connection: close}.
     */
    static void drop(ServletRequest request, HttpServletResponse response, String requestId) {
        if (abortJetty(request)) {
            return;
        }
        try {
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(403);
                response.setHeader("Connection", "close");
                response.setHeader(REQUEST_ID_HEADER, requestId);
                response.setContentLength(0);
            }
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not close connection for request {}", requestId, e);
        }
    }

    private static boolean abortJetty(ServletRequest request) {
        try {
            ClassLoader cl = request.getClass().getClassLoader();
            if (cl == null) {
                return false;
            }
            Class<?> scr = Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextRequest", false, cl);
            Method get = scr.getMethod("getServletContextRequest", ServletRequest.class);
            Object contextRequest = get.invoke(null, request);
            if (contextRequest == null) {
                return false;
            }
            Object channel = scr.getMethod("getServletChannel").invoke(contextRequest);
            Class<?> channelType = Class.forName("org.eclipse.jetty.ee10.servlet.ServletChannel", false, cl);
            Object endPoint = channelType.getMethod("getEndPoint").invoke(channel);
            // Closing the end point is an immediate TCP close, which is what "drop" means.
            Class<?> endPointType = Class.forName("org.eclipse.jetty.io.EndPoint", false, cl);
            endPointType.getMethod("close").invoke(endPoint);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
