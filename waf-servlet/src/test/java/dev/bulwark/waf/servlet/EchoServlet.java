package dev.bulwark.waf.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The application behind the filter in tests: {@code /echo} reports what it received (parameters
 * first, then the raw body), {@code /leak} and {@code /async-leak} answer with text that a phase 4
 * rule catches, {@code /big?n=} writes n bytes.
 */
final class EchoServlet extends HttpServlet {

    static final String LEAK = "You have an error in your SQL syntax near 'x'";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getRequestURI()) {
            case "/leak":
                resp.setContentType("text/plain;charset=utf-8");
                resp.getWriter().print(LEAK);
                return;
            case "/debug":
                resp.setHeader("X-Debug", "stack trace follows");
                resp.getWriter().print("debug output");
                return;
            case "/async-leak": {
                AsyncContext ac = req.startAsync();
                ac.start(() -> {
                    try {
                        ac.getResponse().setContentType("text/plain");
                        ac.getResponse().getOutputStream().write(LEAK.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    req.getAsyncContext().complete();
                });
                return;
            }
            case "/big": {
                int n = Integer.parseInt(req.getParameter("n"));
                resp.setContentType("application/octet-stream");
                byte[] chunk = new byte[8192];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ('a' + i % 26);
                }
                var out = resp.getOutputStream();
                for (int left = n; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
                return;
            }
            default:
                Map<String, Object> r = new LinkedHashMap<>();
                Map<String, Object> params = new TreeMap<>();
                req.getParameterMap().forEach((k, v) -> params.put(k, v));
                r.put("params", params);
                r.put("contentLength", req.getContentLengthLong());
                byte[] body = req.getInputStream().readAllBytes();
                r.put("bodyBase64", Base64.getEncoder().encodeToString(body));
                r.put("bodyLength", body.length);
                r.put("requestId", req.getHeader("X-Request-Id"));
                resp.setContentType("application/json");
                resp.getOutputStream().write(JSON.writeValueAsBytes(r));
        }
    }
}
