package dev.bulwark.waf.servlet;

/**
 * One bound on the memory that all request bodies being buffered at the same time may hold (the
 * WAF's {@code limits.maxInFlightBodyBytes}). Each request takes a {@link Reservation} that grows
 * with the bytes it has actually received, never with what its {@code Content-Length} declares,
 * and gives everything back when the request ends, however it ends.
 *
 * <p>Without it, every connection that declares a large body reserves heap for as long as it
 * trickles bytes in: a few dozen such connections exhaust any heap. With it, the bodies past the
 * bound wait briefly for memory and are then refused (503) while the others proceed.
 *
 * <p>Thread-safe. Share one instance between the parts that buffer the same requests (the proxy
 * shares its budget with its filter).
 */
public final class BodyBudget {

    private final long capacity;
    private long used; // guarded by this

    /** A budget of {@code capacity} bytes. */
    public BodyBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The bound in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Bytes held by reservations right now. */
    public synchronized long used() {
        return used;
    }

    /** Starts an empty reservation for one request body. */
    public Reservation reserve() {
        return new Reservation();
    }

    /**
     * Takes {@code n} bytes, waiting at most {@code waitMillis} for other requests to give memory
     * back. False when it could not (an amount larger than the whole budget fails at once).
     */
    synchronized boolean acquire(long n, long waitMillis) {
        if (n <= 0) {
            return true;
        }
        if (n > capacity) {
            return false;
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (used + n > capacity) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        used += n;
        return true;
    }

    synchronized void release(long n) {
        if (n <= 0) {
            return;
        }
        used = Math.max(0, used - n);
        notifyAll();
    }

    /** The memory one request body holds; closing it (more than once is fine) gives it all back. */
    public final class Reservation implements AutoCloseable {
        private long held; // guarded by this
        private boolean closed; // guarded by this

        private Reservation() {
        }

        /**
         * Adds {@code n} bytes to this reservation, waiting at most {@code waitMillis}; false when
         * the budget has no room (or the reservation is closed).
         */
        public boolean grow(long n, long waitMillis) {
            synchronized (this) {
                if (closed) {
                    return false;
                }
            }
            if (!acquire(n, waitMillis)) {
                return false;
            }
            synchronized (this) {
                if (!closed) {
                    held += Math.max(0, n);
                    return true;
                }
            }
            // Closed while waiting: the request is over, hand the memory straight back.
            release(n);
            return false;
        }

        /** Bytes held by this reservation. */
        public synchronized long held() {
            return held;
        }

        @Override
        public void close() {
            long n;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                n = held;
                held = 0;
            }
            release(n);
        }
    }
}
