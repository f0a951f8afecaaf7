package dev.bulwark.waf.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: usage, and argument errors that exit with 2 and no stack trace. */
class BulwarkProxyTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = BulwarkProxy.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        String usage = out.toString();
        for (String option : new String[] {"--listen", "--backend", "--demo", "--config", "--mode", "--paranoia"}) {
            assertTrue(usage.contains(option), option + " in " + usage);
        }
        assertTrue(usage.contains("127.0.0.1:8080"), "shows the default listen address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--listen|nonsense|HOST:PORT",
            "--listen|127.0.0.1:99999|0 to 65535",
            "--listen|127.0.0.1:http|number",
            "--listen|::1:80|[addr]:port",
            "--backend|ftp://x|http://",
            "--backend|not a url|URL",
            "--mode|sometimes|detection-only",
            "--paranoia|7|1 to 4",
            "--config|/nonexistent/bulwark.yaml|not found",
            "--threads|4|at least 16",
            "--body-timeout|0|positive",
            "--backend-timeout|-3|positive",
            "--min-body-rate|-1|negative",
            "--body-timeout|soon|soon",
    })
    void badArgumentsExitWith2(String option, String value, String expected) {
        assertEquals(2, run(option, value));
        String message = err.toString();
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\tat "), "no stack trace: " + message);
    }

    @Test
    void slowClientOptionsAreListedAndBecomeProxyOptions() {
        assertEquals(0, run("--help"));
        for (String option : new String[] {"--body-timeout", "--min-body-rate", "--backend-timeout", "--threads"}) {
            assertTrue(out.toString().contains(option), option);
        }
        BulwarkProxy p = new BulwarkProxy();
        new CommandLine(p).parseArgs("--body-timeout", "12", "--min-body-rate", "0", "--threads", "500");
        ProxyServer.Options o = p.options();
        assertEquals(java.time.Duration.ofSeconds(12), o.bodyTimeout());
        assertEquals(0, o.minBodyRate());
        assertEquals(500, o.maxThreads());
        assertEquals(ProxyServer.Options.defaults().backendTimeout(), o.backendTimeout());
    }

    @Test
    void unknownOptionExitsWith2() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(err.toString().contains("--frobnicate"));
    }

    @Test
    void listenAddressForms() {
        BulwarkProxy.HostPortConverter c = new BulwarkProxy.HostPortConverter();
        assertEquals(new BulwarkProxy.HostPort("127.0.0.1", 8080), c.convert("127.0.0.1:8080"));
        assertEquals(new BulwarkProxy.HostPort("0.0.0.0", 80), c.convert(":80"));
        assertEquals(new BulwarkProxy.HostPort("::1", 8443), c.convert("[::1]:8443"));
        assertEquals("[::1]:8443", new BulwarkProxy.HostPort("::1", 8443).toString());
    }
}
