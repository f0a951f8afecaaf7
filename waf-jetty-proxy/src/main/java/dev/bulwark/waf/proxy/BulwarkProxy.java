package dev.bulwark.waf.proxy;

import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.WafConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The {@code bulwark-proxy} command: a reverse proxy with the Bulwark WAF in front of a backend.
 *
 * <pre>
 * java -jar bulwark-proxy.jar --demo                                # try it: built-in demo backend
 * java -jar bulwark-proxy.jar --listen 0.0.0.0:8080 --backend http://127.0.0.1:3000 --mode detection-only
 * </pre>
 *
 * Bad arguments print a message and the usage and exit with status 2; a configuration that does
 * not load exits with 2 too, with the loader's message and no stack trace.
 */
@Command(name = "bulwark-proxy", mixinStandardHelpOptions = true, version = "Bulwark proxy 0.1.0",
        sortOptions = false,
        description = "Reverse proxy with the Bulwark web application firewall in front of a backend.%n"
                + "Without --backend (or with --demo) a built-in demo backend is started and proxied to.")
public final class BulwarkProxy implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BulwarkProxy.class);

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            converter = HostPortConverter.class, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    HostPort listen;

    @Option(names = "--backend", paramLabel = "URL", converter = BackendConverter.class,
            description = "Backend base URL, for example http://127.0.0.1:3000.")
    URI backend;

    @Option(names = "--demo", description = "Start the built-in demo backend and proxy to it.")
    boolean demo;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: the bundled rules).")
    Path config;

    @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class,
            description = "on, detection-only or off (overrides the configuration).")
    Mode mode;

    @Option(names = "--paranoia", paramLabel = "N", converter = ParanoiaConverter.class,
            description = "Paranoia level 1 to 4 (overrides the configuration).")
    Integer paranoia;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest time a request body may take to arrive; then 408 (default: ${DEFAULT-VALUE}).")
    int bodyTimeoutSeconds;

    @Option(names = "--min-body-rate", paramLabel = "BYTES", defaultValue = "1024",
            description = "Lowest average request body rate in bytes per second, checked after 5 s; then 408."
                    + " 0 turns it off (default: ${DEFAULT-VALUE}).")
    long minBodyRate;

    @Option(names = "--backend-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest time the backend may take for a response; then 504 (default: ${DEFAULT-VALUE}).")
    int backendTimeoutSeconds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "200",
            description = "Request thread pool size, at least 16 (default: ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the proxy until the JVM is stopped; exits with 2 on bad arguments. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The picocli command line, with messages instead of stack traces for argument errors. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BulwarkProxy());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bulwark-proxy: " + e.getMessage());
            return 1;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Waf waf;
        ProxyServer.Options options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            err.println("bulwark-proxy: " + e.getMessage());
            return 2;
        }
        try {
            waf = loadWaf();
        } catch (WafConfigException | IllegalArgumentException e) {
            err.println("bulwark-proxy: configuration error: " + e.getMessage());
            return 2;
        }
        DemoBackend demoBackend = null;
        URI target = backend;
        if (target == null || demo) {
            demoBackend = DemoBackend.start("127.0.0.1", 0);
            target = demoBackend.uri();
        }
        ProxyServer proxy;
        try {
            proxy = ProxyServer.start(waf, listen.host(), listen.port(), target, options);
        } catch (Exception e) {
            if (demoBackend != null) {
                demoBackend.close();
            }
            err.println("bulwark-proxy: cannot listen on " + listen + ": " + e.getMessage());
            return 1;
        }
        LOG.info("Bulwark proxy listening on {} -> backend {}{}, mode {}, paranoia level {}, {} rules",
                proxy.uri(), target, demoBackend != null ? " (demo)" : "", waf.mode(), waf.paranoiaLevel(),
                waf.rules().size());
        proxy.join();
        return 0;
    }

    /** The slow-client and backend settings from the command line. */
    ProxyServer.Options options() {
        if (bodyTimeoutSeconds <= 0 || backendTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--body-timeout and --backend-timeout must be positive");
        }
        if (minBodyRate < 0) {
            throw new IllegalArgumentException("--min-body-rate must not be negative");
        }
        if (threads < 16) {
            throw new IllegalArgumentException("--threads must be at least 16");
        }
        return new ProxyServer.Options(Duration.ofSeconds(bodyTimeoutSeconds), minBodyRate,
                Duration.ofSeconds(backendTimeoutSeconds), threads);
    }

    Waf loadWaf() {
        Waf.Builder b = Waf.builder();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("configuration file not found: " + config);
            }
            b.config(config);
        } else {
            b.bundledRules();
        }
        // Options given on the command line win over the configuration file.
        if (paranoia != null) {
            b.paranoiaLevel(paranoia);
        }
        if (mode != null) {
            b.mode(mode);
        }
        return b.build();
    }

    /** A listen address. */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces). */
    static final class HostPortConverter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            String v = value.trim();
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not HOST:PORT");
            }
            String host = v.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw new CommandLine.TypeConversionException("'" + value + "': write IPv6 addresses as [addr]:port");
            }
            if (host.isEmpty()) {
                host = "0.0.0.0";
            }
            int port;
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': port must be a number");
            }
            if (port < 0 || port > 65535) {
                throw new CommandLine.TypeConversionException("'" + value + "': port must be 0 to 65535");
            }
            return new HostPort(host, port);
        }
    }

    /** Accepts absolute http/https URLs with a host. */
    static final class BackendConverter implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            URI uri;
            try {
                uri = new URI(value.trim());
            } catch (URISyntaxException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new CommandLine.TypeConversionException("'" + value + "': expected http://host[:port][/path]");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new CommandLine.TypeConversionException("'" + value + "': no query or fragment allowed");
            }
            return uri;
        }
    }

    /** {@code on}, {@code detection-only}, {@code off} (and the other spellings of {@link Mode#parse}). */
    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': expected on, detection-only or off");
            }
        }
    }

    /** 1 to 4. */
    static final class ParanoiaConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1 && n <= 4) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "': paranoia level must be 1 to 4");
        }
    }
}
