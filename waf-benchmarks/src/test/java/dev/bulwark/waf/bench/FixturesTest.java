package dev.bulwark.waf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixturesTest {

    @Test
    void textsHaveExactLengthAndAreDeterministic() {
        for (int n : new int[] {0, 1, 1024, 65536}) {
            assertEquals(n, BenchTexts.benign(n, 1).length());
            assertEquals(n, BenchTexts.attack(n, 1).length());
        }
        assertEquals(BenchTexts.benign(4096, 1), BenchTexts.benign(4096, 1));
        assertNotEquals(BenchTexts.benign(4096, 1), BenchTexts.attack(4096, 1));
        String attack = BenchTexts.attack(1024, 1);
        assertTrue(attack.contains("<script>") && attack.contains("UNION SELECT"), attack);
    }

    @Test
    void postBodiesAreAboutFourKilobytesAndWellFormed() throws Exception {
        HttpFixtures.Exchange form = HttpFixtures.formPost();
        HttpFixtures.Exchange json = HttpFixtures.jsonPost();
        for (HttpFixtures.Exchange e : new HttpFixtures.Exchange[] {form, json}) {
            assertTrue(e.body().length > 3900 && e.body().length <= HttpFixtures.BODY_TARGET,
                    e.name() + " " + e.body().length);
            String length = e.headers().stream().filter(h -> h.getKey().equals("Content-Length"))
                    .findFirst().orElseThrow().getValue();
            assertEquals(Integer.toString(e.body().length), length);
        }
        JsonNode order = new ObjectMapper().readTree(json.body());
        assertTrue(order.get("items").size() > 5);
        String body = new String(form.body(), StandardCharsets.US_ASCII);
        assertTrue(body.startsWith("csrf_token=") && body.contains("&bio="), body);
        // Every %XX escape is complete: the free-text field is cut only between words.
        for (int i = body.indexOf('%'); i >= 0; i = body.indexOf('%', i + 1)) {
            assertTrue(i + 2 < body.length(), "truncated escape at the end");
        }
    }

    @Test
    void getWith10ParamsHasTenParameters() {
        String uri = HttpFixtures.getWith10Params().uri();
        String query = uri.substring(uri.indexOf('?') + 1);
        assertEquals(9, query.chars().filter(c -> c == '&').count());
    }
}
