package dev.bulwark.waf.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bulwark.waf.RuleMatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes each {@link AuditEvent} as one JSON object per line (JSON Lines) to a stream or an
 * append-only file. Thread-safe: events are serialized off-lock and written under a lock, one
 * whole line per write, so concurrent requests never interleave.
 */
public final class JsonLinesAuditSink implements AuditSink, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final boolean closeOnClose;

    private JsonLinesAuditSink(OutputStream out, boolean closeOnClose) {
        this.out = out;
        this.closeOnClose = closeOnClose;
    }

    /** Appends to a file, creating it (and not its directories) if needed. */
    public static JsonLinesAuditSink toFile(Path file) throws IOException {
        return new JsonLinesAuditSink(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), true);
    }

    /** Writes to a stream (not closed by {@link #close()}). */
    public static JsonLinesAuditSink toStream(OutputStream out) {
        return new JsonLinesAuditSink(out, false);
    }

    @Override
    public void accept(AuditEvent event) {
        byte[] line = toJson(event);
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the audit log", e);
            }
        }
    }

    /** Serializes one event as a JSON line (with the trailing newline). */
    public static byte[] toJson(AuditEvent e) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("timestamp", e.timestamp().toString());
            g.writeStringField("transactionId", e.transactionId());
            g.writeStringField("clientAddress", e.clientAddress());
            g.writeStringField("method", e.method());
            g.writeStringField("uri", e.uri());
            g.writeStringField("mode", e.mode());
            g.writeStringField("action", e.action());
            g.writeNumberField("status", e.status());
            g.writeNumberField("ruleId", e.ruleId());
            g.writeNumberField("inboundScore", e.inboundScore());
            g.writeNumberField("outboundScore", e.outboundScore());
            g.writeNumberField("durationMicros", e.durationMicros());
            if (e.reason() != null) {
                g.writeStringField("reason", e.reason());
            }
            g.writeArrayFieldStart("matches");
            for (RuleMatch m : e.matches()) {
                g.writeStartObject();
                g.writeNumberField("ruleId", m.ruleId());
                g.writeNumberField("phase", m.phase().number());
                g.writeStringField("message", m.message());
                if (m.severity() != null) {
                    g.writeStringField("severity", m.severity().name());
                }
                g.writeNumberField("paranoiaLevel", m.paranoiaLevel());
                g.writeStringField("variable", m.variable());
                g.writeStringField("value", m.value());
                if (!m.logData().isEmpty()) {
                    g.writeStringField("logData", m.logData());
                }
                g.writeArrayFieldStart("tags");
                for (String t : m.tags()) {
                    g.writeString(t);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        buf.write('\n');
        return buf.toByteArray();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closeOnClose) {
                out.close();
            } else {
                out.flush();
            }
        }
    }
}
