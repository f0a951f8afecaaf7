package dev.bulwark.examples;

import dev.bulwark.waf.Waf;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServletAppExampleTest {

    @Test
    void exampleAppServesAndTheExtensionStopsTheLeak() throws Exception {
        String yaml = "rules:\n  - id: 3001\n    phase: 1\n    targets: [ARGS]\n    transforms: [lowercase]\n"
                + "    operator: \"@contains <script\"\n    action: deny\n";
        Server server = ServletAppExampleTest.start(Waf.builder().rules("inline", yaml).build());
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hello?name=Ada")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("Hello, Ada!", hello.body().trim());

            HttpResponse<String> xss = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hello?name=%3Cscript%3E")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, xss.statusCode());

            HttpResponse<String> leak = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/account")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, leak.statusCode());
            assertFalse(leak.body().contains("4111"));
            assertTrue(leak.headers().firstValue("X-Request-Id").isPresent());
        } finally {
            server.stop();
        }
    }

    private static Server start(Waf waf) throws Exception {
        return ServletAppExample.start(waf, 0);
    }
}
