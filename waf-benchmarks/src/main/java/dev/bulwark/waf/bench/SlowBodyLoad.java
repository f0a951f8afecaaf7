package dev.bulwark.waf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slow-upload load against a proxy on 127.0.0.1: opens N connections that each send a POST
 * declaring {@code Content-Length: 10000} and then one body byte per second, while a normal client
 * sends a GET every 200 ms and records its latency. Prints one line per second and a summary.
 *
 * <pre>
 * java -cp waf-benchmarks/target/classes dev.bulwark.waf.bench.SlowBodyLoad PORT CLIENTS SECONDS [PATH]
 * </pre>
 *
 * Loopback only, bounded by CLIENTS (at most 15,000) and SECONDS (at most 600). Needs an open
 * file limit above CLIENTS.
 */
public final class SlowBodyLoad {

    private static final int DECLARED = 10_000;
    /** Connections opened per second, so that the accept queue is not the thing measured. */
    private static final int OPEN_PER_SECOND = 1000;

    private SlowBodyLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SlowBodyLoad PORT CLIENTS SECONDS [PATH]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int clients = Math.min(15_000, Integer.parseInt(args[1]));
        int seconds = Math.min(600, Integer.parseInt(args[2]));
        String path = args.length > 3 ? args[3] : "/";

        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int[] normalFailures = new int[1];
        List<Long> secondHalf = Collections.synchronizedList(new ArrayList<>());
        long halfway = System.nanoTime() + seconds * 500_000_000L;
        Thread normal = new Thread(() -> normalClient(port, path, running, latencies, normalFailures, secondHalf,
                halfway), "normal");
        normal.setDaemon(true);

        Selector selector = Selector.open();
        List<SocketChannel> open = new ArrayList<>();
        byte[] head = ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + DECLARED + "\r\n\r\nx").getBytes(StandardCharsets.US_ASCII);
        int opened = 0;
        int refused = 0;
        int closedByServer = 0;
        int maxOpen = 0;
        long start = System.nanoTime();
        long nextTick = start;
        int second = 0;
        int reportedLatencies = 0;
        normal.start();
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        while (second < seconds) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                // Open the next batch, then one byte on every open connection.
                int batch = Math.min(OPEN_PER_SECOND, clients - opened);
                for (int i = 0; i < batch; i++) {
                    opened++;
                    try {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(true);
                        ch.socket().connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        ch.write(ByteBuffer.wrap(head));
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                        open.add(ch);
                    } catch (IOException e) {
                        refused++;
                    }
                }
                for (Iterator<SocketChannel> it = open.iterator(); it.hasNext(); ) {
                    SocketChannel ch = it.next();
                    try {
                        ch.write(ByteBuffer.wrap(new byte[] {'y'}));
                    } catch (IOException e) {
                        closedByServer++;
                        it.remove();
                        ch.close();
                    }
                }
                maxOpen = Math.max(maxOpen, open.size());
                List<Long> snapshot;
                synchronized (latencies) {
                    snapshot = new ArrayList<>(latencies.subList(reportedLatencies, latencies.size()));
                    reportedLatencies = latencies.size();
                }
                long worst = snapshot.stream().mapToLong(Long::longValue).max().orElse(-1);
                System.out.printf("t=%3ds open=%5d opened=%5d refused=%d closedByServer=%d normal: %d answers, worst %d ms, failures %d%n",
                        second, open.size(), opened, refused, closedByServer, snapshot.size(), worst, normalFailures[0]);
                second++;
                nextTick += 1_000_000_000L;
            }
            // Answers or closes from the server (408, 503...) end a slow upload.
            selector.select(Math.max(1, (nextTick - System.nanoTime()) / 1_000_000L));
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) k.channel();
                scratch.clear();
                int n;
                try {
                    n = ch.read(scratch);
                } catch (IOException e) {
                    n = -1;
                }
                if (n != 0) {
                    closedByServer++;
                    k.cancel();
                    ch.close();
                    open.remove(ch);
                }
            }
        }
        running.set(false);
        normal.join(10_000);
        for (SocketChannel ch : open) {
            ch.close();
        }
        List<Long> all;
        synchronized (latencies) {
            all = new ArrayList<>(latencies);
        }
        Collections.sort(all);
        long under1s = all.stream().filter(l -> l < 1000).count();
        System.out.printf("SUMMARY clients=%d maxConcurrentSlowUploads=%d refused=%d closedByServer=%d "
                        + "normal: %d answered, %d under 1 s, %d failed, p50 %d ms, p99 %d ms, max %d ms%n",
                clients, maxOpen, refused, closedByServer, all.size(), under1s, normalFailures[0],
                pct(all, 50), pct(all, 99), all.isEmpty() ? -1 : all.get(all.size() - 1));
        List<Long> late;
        synchronized (secondHalf) {
            late = new ArrayList<>(secondHalf);
        }
        Collections.sort(late);
        // The second half: all slow connections are open and the JIT has warmed up.
        System.out.printf("SECOND-HALF normal: %d answered, %d under 1 s, p50 %d ms, p99 %d ms, max %d ms%n",
                late.size(), late.stream().filter(l -> l < 1000).count(), pct(late, 50), pct(late, 99),
                late.isEmpty() ? -1 : late.get(late.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    /** A GET every 200 ms on a fresh connection; a failure or a non-200 counts as failed. */
    private static void normalClient(int port, String path, AtomicBoolean running, List<Long> latencies,
                                     int[] failures, List<Long> secondHalf, long halfway) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (running.get()) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                in.transferTo(answer);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/1.1 200")) {
                    long ms = (System.nanoTime() - t0) / 1_000_000L;
                    latencies.add(ms);
                    if (t0 >= halfway) {
                        secondHalf.add(ms);
                    }
                } else {
                    synchronized (failures) {
                        failures[0]++;
                    }
                }
            } catch (IOException e) {
                synchronized (failures) {
                    failures[0]++;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
