package dev.bulwark.waf.proxy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code /bulwark/health}: answers {@code {"status":"up"}} while the proxy runs (no internals). */
final class HealthServlet extends HttpServlet {

    private static final byte[] UP = "{\"status\":\"up\"}\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(UP.length);
        resp.getOutputStream().write(UP);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) {
        resp.setStatus(200);
    }
}
