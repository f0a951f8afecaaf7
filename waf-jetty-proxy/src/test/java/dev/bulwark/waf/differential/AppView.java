package dev.bulwark.waf.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * What one application server let the application see of one request: labelled values
 * ({@code param:q}, {@code header:Accept-Language}, {@code body-json}, {@code path}, ...), or
 * nothing when the container answered by itself (status is then the container's answer).
 */
record AppView(String server, int status, List<Seen> seen, List<String> errors) {

    /** One value and where the application read it. */
    record Seen(String where, String value) {
        @Override
        public String toString() {
            return where + "=" + Probe.shorten(value);
        }
    }

    /** The values that carry {@code probe}. */
    List<Seen> carrying(Probe probe) {
        List<Seen> hits = new ArrayList<>();
        for (Seen s : seen) {
            if (probe.foundIn(s)) {
                hits.add(s);
            }
        }
        return hits;
    }

    /** The servlet never ran: the container refused (or the connection failed). */
    boolean refusedByContainer() {
        return seen.isEmpty();
    }

    String summary(Probe probe) {
        if (refusedByContainer()) {
            return server + " refused (" + (status < 0 ? "closed" : status) + ")";
        }
        List<Seen> hits = carrying(probe);
        return server + " " + status + (hits.isEmpty() ? " no payload" : " SAW " + hits);
    }

    /** Collects the values while the servlet runs. */
    static final class Builder {
        final String server;
        final List<Seen> seen = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        Builder(String server) {
            this.server = server;
        }

        void add(String where, String value) {
            if (value != null) {
                seen.add(new Seen(where, value));
            }
        }

        void error(String where, Throwable e) {
            errors.add(where + ": " + e);
        }

        AppView build(int status) {
            return new AppView(server, status, List.copyOf(seen), List.copyOf(errors));
        }
    }
}
