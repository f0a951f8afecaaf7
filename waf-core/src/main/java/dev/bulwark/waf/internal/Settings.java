package dev.bulwark.waf.internal;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.StrictParsing;

/** The resolved engine settings. Internal. */
public record Settings(Mode mode, int paranoiaLevel, int inboundThreshold, int outboundThreshold, int blockStatus,
                       boolean anomalyScoring, boolean failOpen, boolean auditAll, Limits limits,
                       StrictParsing strict) {

    Settings withMode(Mode m) {
        return new Settings(m, paranoiaLevel, inboundThreshold, outboundThreshold, blockStatus, anomalyScoring,
                failOpen, auditAll, limits, strict);
    }
}
