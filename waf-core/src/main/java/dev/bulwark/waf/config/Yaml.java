package dev.bulwark.waf.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

/** The YAML reader for configuration and rule files (JSON is valid YAML). */
final class Yaml {

    static final ObjectMapper MAPPER;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(64);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        MAPPER = new ObjectMapper(factory);
    }

    private Yaml() {
    }

    /** The parser's message without Jackson's source dump. */
    static String brief(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (e.getLocation() != null) {
            m += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return m;
    }
}
