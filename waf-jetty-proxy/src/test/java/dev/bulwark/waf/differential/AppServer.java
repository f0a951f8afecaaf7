package dev.bulwark.waf.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real application server running {@link ViewServlet} with no WAF in front, on two loopback
 * ports (parameters, body). Requests are sent one at a time.
 */
abstract class AppServer implements AutoCloseable {

    private final String name;
    private final AtomicReference<AppView.Builder> last = new AtomicReference<>();

    AppServer(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    ViewServlet servlet() {
        return new ViewServlet(name, port -> port == bodyPort(), last::set);
    }

    abstract int parameterPort();

    abstract int bodyPort();

    /** Removes a temporary directory the server used (multipart spool, Tomcat's work files). */
    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the application sees of {@code request}: once as parameters, once as a body. */
    List<AppView> views(byte[] request) {
        return List.of(view(request, parameterPort(), name + "/params"), view(request, bodyPort(), name + "/body"));
    }

    private AppView view(byte[] request, int port, String label) {
        last.set(null);
        RawHttp.Response r = RawHttp.exchange(port, request);
        AppView.Builder b = last.getAndSet(null);
        if (b == null) {
            return new AppView(label, r.status(), List.of(), List.of("container answered by itself"));
        }
        AppView v = b.build(r.status());
        return new AppView(label, v.status(), v.seen(), v.errors());
    }
}
