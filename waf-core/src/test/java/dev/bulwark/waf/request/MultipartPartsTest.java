package dev.bulwark.waf.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartPartsTest {

    private static final String CT = "multipart/form-data; boundary=xyz";

    @Test
    void partsAreSlicesOfTheBodyWithTheirHeaders() {
        byte[] file = {0, 1, '\r', '\n', '-', '-', 'x', (byte) 0xff};
        byte[] head = ("--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\r\n--xyz--\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);

        MultipartParts.Result r = MultipartParts.split(CT, body, 0, body.length, BodyLimits.defaults());
        assertNull(r.error());
        assertEquals(2, r.parts().size());
        MultipartParts.Part title = r.parts().get(0);
        assertEquals("title", title.name());
        assertNull(title.fileName());
        assertEquals("hello", new String(body, title.contentFrom(), title.contentTo() - title.contentFrom(),
                StandardCharsets.ISO_8859_1));
        MultipartParts.Part f = r.parts().get(1);
        assertEquals("a.bin", f.fileName());
        assertEquals("application/octet-stream", f.contentType());
        assertEquals(2, f.headers().size());
        assertArrayEquals(file, Arrays.copyOfRange(body, f.contentFrom(), f.contentTo()));
    }

    @Test
    void errorsAndLimitsAreTheEngines() {
        byte[] noFinal = "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n".getBytes(StandardCharsets.US_ASCII);
        MultipartParts.Result r = MultipartParts.split(CT, noFinal, 0, noFinal.length, BodyLimits.defaults());
        assertNotNull(r.error());
        ParsedBody engine = BodyParser.parse(BodyProcessor.MULTIPART, CT, noFinal, 0, noFinal.length, BodyLimits.defaults());
        assertEquals(engine.error(), r.error(), "the same parser, the same verdict");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            many.append("--xyz\r\nContent-Disposition: form-data; name=p").append(i).append("\r\n\r\nv\r\n");
        }
        many.append("--xyz--\r\n");
        byte[] b = many.toString().getBytes(StandardCharsets.US_ASCII);
        assertTrue(MultipartParts.split(CT, b, 0, b.length, new BodyLimits(1000, 64, 3, 4096)).limitExceeded());
        assertEquals(5, MultipartParts.split(CT, b, 0, b.length, new BodyLimits(1000, 64, 5, 4096)).parts().size());
    }
}
