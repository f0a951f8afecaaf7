package dev.bulwark.waf.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The multipart application behind the filter in tests: reports what {@code getParts()},
 * {@code getPart}, the parameters and then the replayed body look like, as JSON; with
 * {@code ?write=name} it also writes the part "file" to that name. Counts its invocations so
 * tests can prove a blocked request never reached it.
 */
final class PartsServlet extends HttpServlet {

    private static final ObjectMapper JSON = new ObjectMapper();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        calls.incrementAndGet();
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            List<Map<String, Object>> parts = new ArrayList<>();
            for (Part p : req.getParts()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("class", p.getClass().getSimpleName());
                m.put("name", p.getName());
                m.put("fileName", p.getSubmittedFileName());
                m.put("contentType", p.getContentType());
                m.put("size", p.getSize());
                m.put("base64", Base64.getEncoder().encodeToString(p.getInputStream().readAllBytes()));
                m.put("headerNames", new ArrayList<>(p.getHeaderNames()));
                parts.add(m);
            }
            r.put("parts", parts);
            Part file = req.getPart("file");
            r.put("getPartFile", file == null ? null : file.getSubmittedFileName());
            r.put("getPartMissing", req.getPart("nope") == null);
            String write = req.getParameter("write");
            if (write != null && file != null) {
                try {
                    file.write(write);
                    r.put("write", "ok");
                } catch (IOException e) {
                    r.put("write", "refused: " + e.getMessage());
                }
            }
        } catch (IllegalStateException e) {
            r.put("illegalState", e.getMessage());
        } catch (ServletException e) {
            r.put("servletException", e.getMessage());
        }
        Map<String, Object> params = new TreeMap<>();
        req.getParameterMap().forEach(params::put);
        r.put("params", params);
        r.put("bodyLength", req.getInputStream().readAllBytes().length);
        resp.setContentType("application/json");
        resp.getOutputStream().write(JSON.writeValueAsBytes(r));
    }
}
