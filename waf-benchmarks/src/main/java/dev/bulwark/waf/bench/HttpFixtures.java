package dev.bulwark.waf.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benign HTTP exchanges as a browser or API client would send them, for
 * {@link TransactionBenchmark}. Bodies are built once, deterministically, close to 4 KB.
 */
final class HttpFixtures {

    /** The body size the POST fixtures aim at (they stay at or just under it). */
    static final int BODY_TARGET = 4096;

    /** One request plus the response the benchmark feeds back. */
    record Exchange(String name, String method, String uri, List<Map.Entry<String, String>> headers,
                    byte[] body, List<Map.Entry<String, String>> responseHeaders) {
        Exchange {
            headers = List.copyOf(headers);
            responseHeaders = List.copyOf(responseHeaders);
        }
    }

    private static final String UA =
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    private HttpFixtures() {
    }

    /** A top-level page load with the headers a current browser sends. */
    static Exchange simpleGet() {
        return new Exchange("simpleGet", "GET", "/articles/2024/spring-planting-guide", browserHeaders(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "navigate", "document"),
                new byte[0], htmlResponse());
    }

    /** A search page with ten query parameters. */
    static Exchange getWith10Params() {
        String uri = "/shop/search?q=red+running+shoes&category=sports&sort=price_asc&page=2&size=24"
                + "&brand=acme&color=red&min_price=20&max_price=120&in_stock=true";
        return new Exchange("getWith10Params", "GET", uri, browserHeaders(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "navigate", "document"),
                new byte[0], htmlResponse());
    }

    /** A profile form (application/x-www-form-urlencoded) of about 4 KB. */
    static Exchange formPost() {
        SplittableRandom rnd = new SplittableRandom(42);
        StringBuilder sb = new StringBuilder(BODY_TARGET);
        field(sb, "csrf_token", "b7f3c9e2a1d84f6e9c0b5a7d3e2f1a8c");
        field(sb, "first_name", "Margarethe");
        field(sb, "last_name", "van der Berg");
        field(sb, "email", "m.vanderberg@example.org");
        field(sb, "phone", "+31 20 555 0142");
        field(sb, "street", "Keizersgracht 123, 2nd floor");
        field(sb, "city", "Amsterdam");
        field(sb, "postcode", "1015 CJ");
        field(sb, "country", "NL");
        field(sb, "newsletter", "on");
        field(sb, "website", "https://gardens.example.org/margarethe");
        sb.append("&bio=");
        // The free-text field takes the rest, word by word, so no %XX escape is cut in half.
        while (true) {
            String w = URLEncoder.encode(BenchTexts.words(rnd, 1) + (rnd.nextInt(10) == 0 ? ". " : " "),
                    StandardCharsets.UTF_8);
            if (sb.length() + w.length() > BODY_TARGET) {
                break;
            }
            sb.append(w);
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        List<Map.Entry<String, String>> h = browserHeaders(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "navigate", "document");
        h.add(Map.entry("Content-Type", "application/x-www-form-urlencoded"));
        h.add(Map.entry("Content-Length", Integer.toString(body.length)));
        h.add(Map.entry("Origin", "https://shop.example.com"));
        return new Exchange("formPost4k", "POST", "/account/profile", h, body, htmlResponse());
    }

    /** An order placed through a JSON API, about 4 KB. */
    static Exchange jsonPost() {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder(BODY_TARGET);
        sb.append("{\"orderRef\":\"ORD-2024-118734\",\"currency\":\"EUR\",\"customer\":{\"id\":58213,")
                .append("\"name\":\"Margarethe van der Berg\",\"email\":\"m.vanderberg@example.org\",")
                .append("\"loyaltyTier\":\"silver\"},\"shipping\":{\"street\":\"Keizersgracht 123\",")
                .append("\"city\":\"Amsterdam\",\"postcode\":\"1015 CJ\",\"country\":\"NL\",")
                .append("\"method\":\"standard\",\"instructions\":\"").append(BenchTexts.words(rnd, 12))
                .append("\"},\"items\":[");
        String tail = "],\"giftWrap\":false,\"couponCode\":null}";
        int item = 0;
        while (true) {
            String one = item(rnd, item);
            int extra = (item > 0 ? 1 : 0) + one.length();
            if (sb.length() + extra + tail.length() > BODY_TARGET) {
                break;
            }
            if (item > 0) {
                sb.append(',');
            }
            sb.append(one);
            item++;
        }
        sb.append(tail);
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Host", "api.shop.example.com"));
        h.add(Map.entry("User-Agent", "shop-mobile/5.12.1 (Android 14; Pixel 8)"));
        h.add(Map.entry("Accept", "application/json"));
        h.add(Map.entry("Accept-Encoding", "gzip"));
        h.add(Map.entry("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1ODIxMyJ9.c2lnbmF0dXJl"));
        h.add(Map.entry("Content-Type", "application/json; charset=utf-8"));
        h.add(Map.entry("Content-Length", Integer.toString(body.length)));
        h.add(Map.entry("Connection", "keep-alive"));
        List<Map.Entry<String, String>> resp = List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("Content-Length", "64"),
                Map.entry("Cache-Control", "no-store"));
        return new Exchange("jsonPost4k", "POST", "/api/v2/orders", h, body, resp);
    }

    /** All four exchanges, in the order the benchmark methods are declared. */
    static List<Exchange> all() {
        return List.of(simpleGet(), getWith10Params(), formPost(), jsonPost());
    }

    private static String item(SplittableRandom rnd, int i) {
        int cents = 199 + rnd.nextInt(20000);
        return "{\"sku\":\"SKU-" + (10000 + rnd.nextInt(90000)) + "\",\"name\":\""
                + capitalize(BenchTexts.words(rnd, 3)) + "\",\"quantity\":" + (1 + rnd.nextInt(4))
                + ",\"unitPrice\":" + (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100)
                + ",\"position\":" + (i + 1) + ",\"note\":\"" + BenchTexts.words(rnd, 8) + "\"}";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        sb.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> browserHeaders(String accept, String mode, String dest) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Host", "shop.example.com"));
        h.add(Map.entry("User-Agent", UA));
        h.add(Map.entry("Accept", accept));
        h.add(Map.entry("Accept-Language", "en-GB,en;q=0.7,nl;q=0.3"));
        h.add(Map.entry("Accept-Encoding", "gzip, deflate, br, zstd"));
        h.add(Map.entry("Referer", "https://shop.example.com/"));
        h.add(Map.entry("Cookie", "session=4f1c2b9e7a3d4c8f9b0e1a2d3c4b5a69; theme=light; consent=analytics%3Dno"));
        h.add(Map.entry("Connection", "keep-alive"));
        h.add(Map.entry("Upgrade-Insecure-Requests", "1"));
        h.add(Map.entry("Sec-Fetch-Dest", dest));
        h.add(Map.entry("Sec-Fetch-Mode", mode));
        h.add(Map.entry("Sec-Fetch-Site", "same-origin"));
        return h;
    }

    private static List<Map.Entry<String, String>> htmlResponse() {
        return List.of(
                Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Content-Length", "18342"),
                Map.entry("Cache-Control", "private, max-age=0"));
    }
}
