package dev.bulwark.examples;

import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.servlet.WafFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.util.EnumSet;

/**
 * A small Servlet application protected by the Bulwark filter, in an embedded Jetty 12 (ee10).
 * The part to copy is {@link #start}: build a {@link Waf} once, wrap it in a {@link WafFilter},
 * and map the filter to {@code /*} with async support on.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.ServletAppExample
 * curl 'http://127.0.0.1:8081/hello?name=Ada'                      # 200
 * curl 'http://127.0.0.1:8081/hello?name=%3Cscript%3E'             # 403 with a request id
 * </pre>
 *
 * For a WAR, declare the filter in {@code web.xml} instead: see {@code example-web.xml} in this
 * module's resources.
 */
public final class ServletAppExample {

    private ServletAppExample() {
    }

    /** Starts the example on port 8081 (or the port given as the first argument) with the bundled rules. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        Waf waf = Waf.builder()
                .bundledRules()          // the OWASP CRS-style rule set shipped in waf-rules
                .mode(Mode.ON)           // DETECTION_ONLY to log without blocking
                .paranoiaLevel(1)
                .build();                // extensions on the class path (CustomRuleExtension) load too
        Server server = start(waf, port);
        System.out.println("Example app on http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + "/hello?name=you  (" + waf.rules().size() + " rules, mode " + waf.mode() + ")");
        server.join();
    }

    /** Starts Jetty on 127.0.0.1:{@code port} (0 for any free port) with the filter in front of the app. */
    public static Server start(Waf waf, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");

        FilterHolder bulwark = new FilterHolder(new WafFilter(waf));
        bulwark.setName("bulwark");
        bulwark.setAsyncSupported(true); // needed so that async servlets behind it keep working
        context.addFilter(bulwark, "/*", EnumSet.of(DispatcherType.REQUEST));

        context.addServlet(new ServletHolder("hello", new HelloServlet()), "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The "application": greets by name, and shows what a card number leak looks like. */
    static final class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=utf-8");
            if ("/account".equals(req.getRequestURI())) {
                // A bug that leaks a card number: CustomRuleExtension's rule replaces this answer.
                resp.getWriter().println("Card on file: 4111 1111 1111 1111");
                return;
            }
            String name = req.getParameter("name");
            resp.getWriter().println("Hello, " + (name == null ? "world" : name.replace('<', ' ')) + "!");
        }
    }
}
