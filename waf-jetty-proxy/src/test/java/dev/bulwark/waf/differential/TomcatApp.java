package dev.bulwark.waf.differential;

import jakarta.servlet.MultipartConfigElement;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Embedded Tomcat 11 with its default connector settings, servlet mapped at {@code /*} with
 * multipart enabled. Tomcat has no request-body decompression, so compressed bodies reach the
 * application only through the servlet's own inflating view.
 */
final class TomcatApp extends AppServer {

    /** Held so the level sticks (JUL keeps loggers weakly). */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    private final Tomcat tomcat = new Tomcat();
    private final Connector params;
    private final Connector body;
    private final Path base = Files.createTempDirectory("diff-tomcat");

    TomcatApp() throws Exception {
        super("tomcat");
        TOMCAT_LOG.setLevel(Level.SEVERE);
        tomcat.setBaseDir(base.toString());
        params = connector();
        body = connector();
        Context context = tomcat.addContext("", base.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "app", servlet());
        wrapper.setMultipartConfigElement(new MultipartConfigElement(base.toString(), 4 << 20, 8 << 20, 1 << 20));
        context.addServletMappingDecoded("/*", "app");
        tomcat.start();
    }

    private Connector connector() {
        Connector c = new Connector();
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        c.setProperty("connectionTimeout", "10000");
        tomcat.getService().addConnector(c);
        return c;
    }

    @Override
    int parameterPort() {
        return params.getLocalPort();
    }

    @Override
    int bodyPort() {
        return body.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            deleteTree(base);
        }
    }
}
