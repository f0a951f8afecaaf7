package dev.bulwark.waf.proxy;

import dev.bulwark.waf.servlet.BlockPages;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Jetty's own error answers (malformed requests, servlet errors, backend failures) as the same
 * minimal page the WAF blocks with: status and a request id, no reason text from the exception,
 * no echoed URL, no stack trace, no backend address.
 */
class MinimalErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        writePage(request, response, code, callback);
    }

    /** For errors found while parsing, before any request exists (no handler runs). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        byte[] page = BlockPages.html(status, newId()).getBytes(StandardCharsets.UTF_8);
        fields.put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put("X-Content-Type-Options", "nosniff");
        return ByteBuffer.wrap(page);
    }

    static void writePage(Request request, Response response, int code, Callback callback) {
        int status = code >= 400 && code <= 599 ? code : HttpStatus.INTERNAL_SERVER_ERROR_500;
        Object known = request.getAttribute(BlockPages.REQUEST_ID_ATTRIBUTE);
        String id = known instanceof String s ? s : newId();
        byte[] page = BlockPages.html(status, id).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        h.put(BlockPages.REQUEST_ID_HEADER, id);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            h.put(new HttpField(HttpHeader.RETRY_AFTER, "2"));
        }
        h.put(HttpHeader.CONTENT_LENGTH, page.length);
        response.write(true, ByteBuffer.wrap(page), callback);
    }

    /** A fresh id in the WAF's format, for errors answered before the filter saw the request. */
    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The same page for the servlet context (sendError, uncaught exceptions, the proxy servlet). */
    static final class ForServlets extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            writePage(request, response, code, callback);
        }
    }
}
