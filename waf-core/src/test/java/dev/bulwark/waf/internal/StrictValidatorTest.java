package dev.bulwark.waf.internal;

import dev.bulwark.waf.request.ParsedBody;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StrictValidatorTest {

    /** A new multipart flag must be classified: refused by strict parsing, or listed here as harmless. */
    @Test
    void everyMultipartFlagIsClassified() throws IllegalAccessException {
        Set<String> all = new TreeSet<>();
        for (Field f : ParsedBody.class.getFields()) {
            if (f.getName().startsWith("FLAG_") && Modifier.isStatic(f.getModifiers())) {
                all.add((String) f.get(null));
            }
        }
        Set<String> classified = new TreeSet<>(StrictValidator.MULTIPART_FLAGS);
        classified.add(ParsedBody.FLAG_BOUNDARY_QUOTED);
        assertEquals(all, classified);
    }

    @Test
    void mediaTypeParsesWhatClientsSend() {
        MediaType m = MediaType.parse(" Multipart/Form-Data ; boundary=\"a b:c\";charset=UTF-8 ");
        assertNull(m.error());
        assertEquals("multipart/form-data", m.type());
        assertEquals(Map.of("boundary", "a b:c", "charset", "UTF-8"), m.params());
        assertEquals(Map.of(), MediaType.parse("application/json;").params());
    }
}
