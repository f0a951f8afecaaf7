package dev.bulwark.waf.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bulwark.waf.Limits;
import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Phase;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.WafConfigException;
import dev.bulwark.waf.audit.AuditSink;
import dev.bulwark.waf.audit.JsonLinesAuditSink;
import dev.bulwark.waf.config.ConfigFile;
import dev.bulwark.waf.config.RuleFiles;
import dev.bulwark.waf.match.Operators;
import dev.bulwark.waf.match.PhraseOperators;
import dev.bulwark.waf.match.prefilter.LiteralPrefilter;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.rule.Target;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.OperatorSupport;
import dev.bulwark.waf.spi.Transformation;
import dev.bulwark.waf.spi.WafExtension;
import dev.bulwark.waf.transform.Transformations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The compiled rule set and settings behind a {@code Waf}. Internal; immutable and thread-safe.
 * Building reads every rule source, resolves every name, compiles every regex and the literal
 * prefilter, and fails as a whole with a {@link WafConfigException} on the first error.
 */
public final class Engine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

    /** Class-path index of the bundled rule files (shipped by the waf-rules artifact). */
    public static final String BUNDLED_INDEX = "bulwark/rules/index.txt";

    /**
     * Shortest literal the regex prefilter uses. One character: short atoms are weak on their
     * own, but rare characters ({@code ;}, {@code `}, {@code $(}, {@code <}) are exactly what
     * separates attacks from prose, and a formula ANDs them with the longer ones. Measured on the
     * bundled rules, a browser GET costs 5x less than with three-character atoms.
     */
    public static final int PREFILTER_MIN_ATOM = 1;

    /** Variables a target may name. */
    static final Set<String> VARIABLES = Set.of("ARGS", "ARGS_NAMES", "ARGS_GET", "ARGS_GET_NAMES", "ARGS_POST",
            "ARGS_POST_NAMES", "ARGS_COMBINED_SIZE", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES",
            "REQUEST_COOKIES_NAMES", "REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_FILENAME", "REQUEST_BASENAME",
            "REQUEST_LINE", "QUERY_STRING", "REQUEST_BODY", "REQUEST_BODY_UNPARSED", "REQUEST_BODY_LENGTH", "REQUEST_METHOD",
            "REQUEST_PROTOCOL", "FILES", "FILES_NAMES", "FILES_SIZES", "FILES_COMBINED_SIZE",
            "MULTIPART_PART_HEADERS", "MULTIPART_STRICT_ERROR", "MULTIPART_FILENAME", "MULTIPART_NAME", "XML",
            "REQBODY_ERROR", "REQBODY_ERROR_MSG", "REQBODY_PROCESSOR", "REQBODY_PROCESSOR_ERROR", "REMOTE_ADDR",
            "REMOTE_PORT", "REMOTE_HOST", "SERVER_NAME", "SERVER_ADDR", "SERVER_PORT", "RESPONSE_STATUS",
            "RESPONSE_PROTOCOL", "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "RESPONSE_BODY",
            "RESPONSE_CONTENT_TYPE", "RESPONSE_CONTENT_LENGTH", "TX", "MATCHED_VAR", "MATCHED_VAR_NAME",
            "MATCHED_VARS", "MATCHED_VARS_NAMES", "UNIQUE_ID", "FULL_REQUEST", "FULL_REQUEST_LENGTH",
            "INBOUND_DATA_ERROR", "OUTBOUND_DATA_ERROR", "DURATION", "ENV", "GEO", "IP", "SESSION", "USER",
            "GLOBAL", "RESOURCE", "WEBSERVER_ERROR_LOG", "STATUS_LINE", "AUTH_TYPE", "PATH_INFO",
            "REQUEST_BODY_PROCESSOR", "ARGS_RAW", "HIGHEST_SEVERITY", "TIME", "TIME_EPOCH", "URLENCODED_ERROR",
            "REQUEST_HEADERS_RAW", "MULTIPART_BOUNDARY_QUOTED", "MULTIPART_BOUNDARY_WHITESPACE",
            "MULTIPART_BOUNDARY_MISSING", "MULTIPART_BOUNDARY_INVALID", "MULTIPART_DATA_BEFORE", "MULTIPART_DATA_AFTER",
            "MULTIPART_FINAL_BOUNDARY_MISSING", "MULTIPART_HEADER_FOLDING", "MULTIPART_INVALID_HEADER_FOLDING",
            "MULTIPART_LF_LINE", "MULTIPART_CRLF_LF_LINES", "MULTIPART_MISSING_SEMICOLON", "MULTIPART_INVALID_QUOTING",
            "MULTIPART_INVALID_PART", "MULTIPART_UNMATCHED_BOUNDARY");

    /** Collections that change while a phase runs, so their members are never summarised. */
    static final Set<String> VOLATILE = Set.of("TX", "MATCHED_VAR", "MATCHED_VAR_NAME", "MATCHED_VARS",
            "MATCHED_VARS_NAMES", "DURATION");

    private final Settings settings;
    private final List<Rule> rules;
    private final CompiledRule[][] phases;
    private final LiteralPrefilter prefilter;
    private final Layout layout;
    private final List<AuditSink> auditSinks;
    private final ThreadLocal<LiteralPrefilter.Scanner> scanners;
    private final ThreadLocal<Derived[]> recentValues = ThreadLocal.withInitial(() -> new Derived[RECENT_VALUES]);
    private final Cache<String, BitSet> sharedCandidates;
    private final Cache<String, Boolean>[] keyOutcomes;

    /**
     * Sizes of the per-transaction tables that compiled rules index into: regex key selectors,
     * transformation functions, summarisable collections, keyed selections, summary slots,
     * rule gates (target lists whose summaries can reject a whole rule at once), and whole
     * transformation chains (memoised per value).
     */
    record Layout(int keyRegexes, int functions, int collections, int selections, int summarySlots, int gates,
                  int chains) {
    }

    private Engine(Settings settings, List<Rule> rules, CompiledRule[][] phases, LiteralPrefilter prefilter,
                   Layout layout, List<AuditSink> auditSinks) {
        this.settings = settings;
        this.rules = List.copyOf(rules);
        this.phases = phases;
        this.prefilter = prefilter;
        this.layout = layout;
        this.scanners = ThreadLocal.withInitial(prefilter::newScanner);
        @SuppressWarnings("unchecked")
        Cache<String, Boolean>[] outcomes = new Cache[layout.keyRegexes()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();
        }
        this.keyOutcomes = outcomes;
        // About 4 MB at most; maintenance runs on the calling threads, no background tasks.
        this.sharedCandidates = Caffeine.newBuilder()
                .maximumWeight(2_000_000)
                .<String, BitSet>weigher((k, v) -> k.length() + 64)
                .executor(Runnable::run)
                .build();
        this.auditSinks = List.copyOf(auditSinks);
    }

    /** Builds an engine; throws {@link WafConfigException} on any error. */
    public static Engine build(WafSpec spec) {
        ConfigFile cfg = spec.configFile() == null ? null : ConfigFile.read(spec.configFile());
        Settings settings = settings(spec, cfg);

        List<Rule> all = new ArrayList<>();
        Map<String, OperatorSupport> supports = new HashMap<>();
        // A configuration file protects with the bundled rules unless it opts out explicitly:
        // forgetting a "rules:" section must not leave a WAF that inspects nothing.
        boolean bundled = spec.bundledRules() || (cfg != null && !Boolean.FALSE.equals(cfg.bundledRules()));
        if (bundled) {
            loadBundled(all, supports);
        }
        if (cfg != null) {
            for (String f : cfg.ruleFiles()) {
                if (f.startsWith("classpath:")) {
                    loadResource(f.substring("classpath:".length()), all, supports);
                } else {
                    loadFile(cfg.baseDir() == null ? Path.of(f) : cfg.baseDir().resolve(f), all, supports);
                }
            }
        }
        for (Path p : spec.ruleFiles()) {
            loadFile(p, all, supports);
        }
        for (String[] t : spec.ruleTexts()) {
            all.addAll(RuleFiles.parse(t[0], t[1]));
        }
        all.addAll(spec.rules());

        Registry registry = new Registry();
        Map<String, OperatorFactory> ops = new LinkedHashMap<>(Operators.builtins());
        PhraseOperators.builtins().forEach(ops::putIfAbsent);
        Map<String, Transformation> ts = Transformations.builtins();
        registry.installBuiltins("builtin", ops, ts);
        List<WafExtension> extensions = new ArrayList<>();
        if (spec.serviceLoader()) {
            try {
                for (WafExtension e : ServiceLoader.load(WafExtension.class)) {
                    extensions.add(e);
                }
            } catch (ServiceConfigurationError e) {
                throw new WafConfigException(null, null, null, "cannot load an extension: " + e.getMessage(), e);
            }
        }
        extensions.addAll(spec.extensions());
        for (WafExtension e : extensions) {
            try {
                registry.install(e);
            } catch (RuntimeException ex) {
                throw new WafConfigException("extension " + e.name(), null, null, ex.getMessage(), ex);
            }
        }
        all.addAll(registry.rules());

        List<String> removeById = new ArrayList<>(spec.removeById());
        List<String> removeByTag = new ArrayList<>(spec.removeByTag());
        List<RuleSetChecks.Removal> byId = new ArrayList<>();
        List<RuleSetChecks.Removal> byTag = new ArrayList<>();
        spec.removeById().forEach(x -> byId.add(new RuleSetChecks.Removal(x, "Waf.builder()")));
        spec.removeByTag().forEach(x -> byTag.add(new RuleSetChecks.Removal(x, "Waf.builder()")));
        if (cfg != null) {
            removeById.addAll(cfg.removeById());
            removeByTag.addAll(cfg.removeByTag());
            cfg.removeById().forEach(x -> byId.add(new RuleSetChecks.Removal(x, cfg.source())));
            cfg.removeByTag().forEach(x -> byTag.add(new RuleSetChecks.Removal(x, cfg.source())));
        }
        IdSet removed = IdSet.parse(removeById);
        RuleSetChecks checks = new RuleSetChecks(all);
        checks.removalsById(byId);
        checks.removalsByTag(byTag);
        checks.ctls(all);
        Set<String> removedTags = new HashSet<>();
        for (String t : removeByTag) {
            removedTags.add(t.toLowerCase(Locale.ROOT));
        }
        List<Rule> kept = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (Rule r : all) {
            if (!r.isMarker()) {
                if (r.id() == 0) {
                    throw new WafConfigException(r.source(), null, "id", "a rule needs a positive id");
                }
                if (!ids.add(r.id())) {
                    throw new WafConfigException(r.source(), Long.toString(r.id()), "id", "duplicate rule id");
                }
                if (removed.contains(r.id()) || hasTag(r, removedTags)) {
                    continue;
                }
            }
            kept.add(r);
        }

        Compiler compiler = new Compiler(registry, supports);
        List<List<CompiledRule>> perPhase = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            perPhase.add(new ArrayList<>());
        }
        for (Rule r : kept) {
            if (r.isMarker()) {
                // A marker belongs to every phase: skipAfter jumps within the phase being run.
                CompiledRule m = compiler.marker(r);
                for (List<CompiledRule> l : perPhase) {
                    l.add(m);
                }
                continue;
            }
            if (r.paranoiaLevel() > settings.paranoiaLevel()) {
                continue;
            }
            perPhase.get(r.phase().number() - 1).add(compiler.compile(r, r.id()));
        }
        CompiledRule[][] phases = new CompiledRule[5][];
        for (int p = 0; p < 5; p++) {
            List<CompiledRule> list = perPhase.get(p);
            for (int i = 0; i < list.size(); i++) {
                CompiledRule r = list.get(i);
                String target = r.rule.skipAfter();
                if (target != null) {
                    int found = -1;
                    for (int j = i + 1; j < list.size(); j++) {
                        if (target.equals(list.get(j).rule.markerName())) {
                            found = j;
                            break;
                        }
                    }
                    if (found < 0) {
                        throw new WafConfigException(r.rule.source(), Long.toString(r.rule.id()), "skipAfter",
                                "no marker '" + target + "' after this rule");
                    }
                    r.skipAfterIndex = found;
                }
            }
            phases[p] = list.toArray(new CompiledRule[0]);
        }

        int active = 0;
        for (CompiledRule[] phase : phases) {
            for (CompiledRule r : phase) {
                active += r.rule.isMarker() ? 0 : 1;
            }
        }
        RuleSetChecks.notEmpty(active, settings.mode(),
                first(spec.allowEmptyRuleSet(), cfg == null ? null : cfg.allowEmptyRuleSet(), false),
                cfg == null ? "Waf.builder()" : cfg.source());
        if (settings.limits().onBodyLimit() == Limits.BodyLimitAction.INSPECT_PARTIAL && settings.mode() == Mode.ON) {
            LOG.warn("limits.onBodyLimit is inspect-partial: request body bytes past {} are passed to the application"
                    + " uninspected, so a payload placed after them is not seen", settings.limits().maxInspectedBodyBytes());
        }

        List<AuditSink> sinks = new ArrayList<>(spec.auditSinks());
        if (cfg != null && cfg.auditFile() != null && !cfg.auditFile().isBlank()) {
            String f = cfg.auditFile().trim();
            try {
                if (f.equalsIgnoreCase("stdout")) {
                    sinks.add(JsonLinesAuditSink.toStream(System.out));
                } else if (f.equalsIgnoreCase("stderr")) {
                    sinks.add(JsonLinesAuditSink.toStream(System.err));
                } else if (!f.equalsIgnoreCase("none")) {
                    Path p = cfg.baseDir() == null ? Path.of(f) : cfg.baseDir().resolve(f);
                    sinks.add(JsonLinesAuditSink.toFile(p));
                }
            } catch (IOException e) {
                throw new WafConfigException(cfg.source(), null, "audit.file", "cannot open: " + e.getMessage());
            }
        }
        LiteralPrefilter prefilter = compiler.prefilter.build();
        Map<Integer, Integer> chainIds = new HashMap<>();
        for (CompiledRule[] phase : phases) {
            for (CompiledRule first : phase) {
                for (CompiledRule c = first; c != null; c = c.chain) {
                    c.chainId = chainIds.computeIfAbsent(c.chainSlot, k -> chainIds.size());
                    c.filtered = c.prefilterId >= 0 && prefilter.isFiltered(c.prefilterId);
                    if (c.filtered && !c.multiMatch) {
                        c.requiredKinds = CharMask.clauses(prefilter.requiredCharacterSets(c.prefilterId));
                    }
                    if (!c.filtered) {
                        c.gateSlot = -1; // an unfiltered pattern never enters a union
                    }
                }
            }
        }
        Layout layout = new Layout(compiler.keyRegexes.size(), compiler.functionIds.size(),
                compiler.collectionIds.size(), compiler.selectionIds.size(), compiler.summarySlots.size(),
                compiler.gateSlots.size(), chainIds.size());
        return new Engine(settings, kept, phases, prefilter, layout, sinks);
    }

    private static boolean hasTag(Rule r, Set<String> tags) {
        if (tags.isEmpty()) {
            return false;
        }
        for (String t : r.tags()) {
            if (tags.contains(t.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Defaults, then the configuration file, then settings made explicitly on the builder. */
    private static Settings settings(WafSpec spec, ConfigFile cfg) {
        ConfigFile c = cfg == null ? ConfigFile.parse("defaults", null, "{}") : cfg;
        return new Settings(
                first(spec.mode(), c.mode(), Mode.ON),
                first(spec.paranoiaLevel(), c.paranoiaLevel(), 1),
                first(spec.inboundThreshold(), c.inboundThreshold(), 5),
                first(spec.outboundThreshold(), c.outboundThreshold(), 4),
                first(spec.blockStatus(), c.blockStatus(), 403),
                first(spec.anomalyScoring(), c.anomalyScoring(), true),
                first(spec.failOpen(), c.failOpen(), false),
                first(spec.auditAll(), c.auditAll(), false),
                first(spec.limits(), c.limits(), Limits.defaults()),
                first(spec.strict(), c.strict(), StrictParsing.defaults()));
    }

    private static <T> T first(T explicit, T fromFile, T dflt) {
        return explicit != null ? explicit : fromFile != null ? fromFile : dflt;
    }

    private static void loadBundled(List<Rule> out, Map<String, OperatorSupport> supports) {
        String index = readResource(BUNDLED_INDEX);
        if (index == null) {
            throw new WafConfigException(BUNDLED_INDEX, null, null,
                    "the bundled rules are not on the class path (add the dev.bulwark:waf-rules dependency)");
        }
        for (String line : Text.lines(index)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            loadResource("bulwark/rules/" + l, out, supports);
        }
    }

    private static void loadResource(String resource, List<Rule> out, Map<String, OperatorSupport> supports) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        String text = readResource(name);
        if (text == null) {
            throw new WafConfigException("classpath:" + name, null, null, "resource not found");
        }
        String source = "classpath:" + name;
        int slash = name.lastIndexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash + 1);
        supports.put(source, file -> {
            String t = readResource(dir + file);
            if (t == null) {
                throw new IOException("data file not found on the class path: " + dir + file);
            }
            return dataLines(t);
        });
        out.addAll(RuleFiles.parse(source, text));
    }

    private static void loadFile(Path file, List<Rule> out, Map<String, OperatorSupport> supports) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WafConfigException(file.toString(), null, null, "cannot read rule file: " + e);
        }
        String source = file.toString();
        Path dir = file.toAbsolutePath().getParent();
        supports.put(source, name -> dataLines(Files.readString(dir.resolve(name), StandardCharsets.UTF_8)));
        out.addAll(RuleFiles.parse(source, text));
    }

    static List<String> dataLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : Text.lines(text)) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }

    private static String readResource(String name) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Engine.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                try (InputStream in2 = Engine.class.getClassLoader().getResourceAsStream(name)) {
                    return in2 == null ? null : new String(in2.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WafConfigException("classpath:" + name, null, null, "cannot read: " + e.getMessage());
        }
    }

    /** Turns rules into compiled rules; owns the prefilter builder and the transformation-prefix table. */
    private static final class Compiler {
        final Registry registry;
        final Map<String, OperatorSupport> supports;
        final LiteralPrefilter.Builder prefilter = LiteralPrefilter.builder().minAtomLength(PREFILTER_MIN_ATOM)
                .ignoreCommonCharacters(true);
        final Map<String, Integer> prefixes = new HashMap<>();
        final Map<String, Integer> keyRegexSlots = new HashMap<>();
        final Map<String, Integer> collectionIds = new HashMap<>();
        final Map<String, Integer> selectionIds = new HashMap<>();
        final Map<String, Integer> summarySlots = new HashMap<>();
        final Map<String, Integer> gateSlots = new HashMap<>();
        /** Distinct transformation functions, numbered for the per-transaction application memo. */
        final Map<Transformation, Integer> functionIds = new java.util.IdentityHashMap<>();
        final List<com.google.re2j.Pattern> keyRegexes = new ArrayList<>();

        Compiler(Registry registry, Map<String, OperatorSupport> supports) {
            this.registry = registry;
            this.supports = supports;
        }

        CompiledRule marker(Rule r) {
            return new CompiledRule(r, 0, List.of(), List.of(), new Transformation[0], new int[0], new int[0], new long[0],
                    null, -1, null);
        }

        CompiledRule compile(Rule r, long reportId) {
            String where = Long.toString(reportId);
            List<CompiledRule.CompiledTarget> targets = new ArrayList<>();
            List<CompiledRule.CompiledTarget> exclusions = new ArrayList<>();
            for (Target t : r.targets()) {
                if (!VARIABLES.contains(t.collection())) {
                    throw new WafConfigException(r.source(), where, "targets", "unknown variable '" + t.collection() + "'");
                }
                CompiledRule.CompiledTarget ct;
                try {
                    if (t.keyIsRegex()) {
                        Integer slot = keyRegexSlots.get(t.key());
                        if (slot == null) {
                            slot = keyRegexes.size();
                            keyRegexes.add(com.google.re2j.Pattern.compile(t.key(), com.google.re2j.Pattern.CASE_INSENSITIVE));
                            keyRegexSlots.put(t.key(), slot);
                        }
                        ct = new CompiledRule.CompiledTarget(t, keyRegexes.get(slot), slot);
                    } else {
                        ct = new CompiledRule.CompiledTarget(t);
                    }
                } catch (RuntimeException e) {
                    throw new WafConfigException(r.source(), where, "targets", "invalid selector in '" + t + "': " + e.getMessage());
                }
                if (!t.exclude() && !VOLATILE.contains(t.collection())) {
                    ct.collectionId = collectionIds.computeIfAbsent(t.collection(), k -> collectionIds.size());
                    if (!ct.selectsAll() && !ct.count) {
                        String selector = t.collection() + (t.keyIsRegex() ? "\u0000/" + t.key()
                                : "\u0000" + t.key().toLowerCase(Locale.ROOT));
                        ct.selectionId = selectionIds.computeIfAbsent(selector, k -> selectionIds.size());
                    }
                }
                (t.exclude() ? exclusions : targets).add(ct);
            }
            if (targets.isEmpty()) {
                throw new WafConfigException(r.source(), where, "targets", "no target to inspect (only exclusions)");
            }
            List<Transformation> fns = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String n : r.transformations()) {
                if (n.equalsIgnoreCase("none")) {
                    fns.clear();
                    names.clear();
                    continue;
                }
                Transformation t = registry.transformation(n);
                if (t == null) {
                    throw new WafConfigException(r.source(), where, "transforms", "unknown transformation '" + n + "'");
                }
                fns.add(t);
                names.add(n.toLowerCase(Locale.ROOT));
            }
            int[] functionIds = new int[fns.size()];
            for (int i = 0; i < functionIds.length; i++) {
                functionIds[i] = this.functionIds.computeIfAbsent(fns.get(i), k -> this.functionIds.size());
            }
            long[] triggers = new long[names.size()];
            for (int i = 0; i < triggers.length; i++) {
                triggers[i] = CharMask.triggers(names.get(i));
            }
            int[] prefixIds = new int[names.size()];
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                key.append(names.get(i)).append('\u0000');
                prefixIds[i] = prefixes.computeIfAbsent(key.toString(), k -> prefixes.size());
            }
            Operator op = r.operator();
            int prefilterId = -1;
            if (op == null) {
                OperatorFactory f = registry.operator(r.operatorName());
                if (f == null) {
                    throw new WafConfigException(r.source(), where, "operator", "unknown operator '@" + r.operatorName() + "'");
                }
                OperatorSupport support = supports.getOrDefault(r.source(), OperatorSupport.none());
                try {
                    op = f.create(r.operatorArgument(), support);
                } catch (RuntimeException e) {
                    throw new WafConfigException(r.source(), where, "operator", "@" + r.operatorName() + ": " + e.getMessage());
                }
                if (op == null) {
                    throw new WafConfigException(r.source(), where, "operator", "@" + r.operatorName() + " returned no operator");
                }
                List<String> phrases = PhraseOperators.phrasesOf(op);
                if (r.operatorName().equalsIgnoreCase("rx") && !MatchContext.hasMacro(r.operatorArgument())) {
                    prefilterId = prefilter.add(r.operatorArgument());
                } else if (phrases != null) {
                    prefilterId = prefilter.addAnyOf(phrases);
                }
            }
            CompiledRule chain = r.chain() == null ? null : compile(r.chain(), reportId);
            CompiledRule compiled = new CompiledRule(r, reportId, List.copyOf(targets), List.copyOf(exclusions),
                    fns.toArray(new Transformation[0]), prefixIds, functionIds, triggers, op, prefilterId, chain);
            long[] allowedBytes = Operators.allowedBytesOf(op);
            if (allowedBytes != null) {
                compiled.byteRangeSafeKinds = CharMask.kindsWithin(allowedBytes);
            }
            StringBuilder gate = new StringBuilder();
            for (CompiledRule.CompiledTarget t : compiled.targets) {
                if (t.collectionId >= 0) {
                    String slot = t.collectionId + ":" + compiled.chainSlot + (r.multiMatch() ? ":m" : "");
                    t.summarySlot = summarySlots.computeIfAbsent(slot, k -> summarySlots.size());
                }
                if (gate != null && t.collectionId >= 0 && t.selectsAll() && !t.count) {
                    gate.append(t.summarySlot).append(',');
                } else {
                    gate = null; // a keyed, counted or changing target: the rule always looks itself
                }
            }
            if (gate != null && prefilterId >= 0 && !r.negated()) {
                compiled.gateSlot = gateSlots.computeIfAbsent(gate.toString(), k -> gateSlots.size());
            }
            return compiled;
        }
    }

    public Settings settings() {
        return settings;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Engine withMode(Mode mode) {
        return new Engine(settings.withMode(mode), rules, phases, prefilter, layout, auditSinks);
    }

    /** Whether a rule (not a marker) runs in phase 3 or 4. */
    public boolean inspectsResponses() {
        for (Phase p : List.of(Phase.RESPONSE_HEADERS, Phase.RESPONSE_BODY)) {
            for (CompiledRule r : phase(p)) {
                if (!r.rule.isMarker()) {
                    return true;
                }
            }
        }
        return false;
    }

    public Transaction newTransaction(String id) {
        return new EngineTransaction(this, id);
    }

    CompiledRule[] phase(Phase p) {
        return phases[p.number() - 1];
    }

    LiteralPrefilter prefilter() {
        return prefilter;
    }

    /**
     * Whether a regex key selector (such as {@code REQUEST_HEADERS:/^x-/}) picks {@code key}.
     * Header, cookie and argument names repeat across requests, so outcomes are remembered per
     * selector for all transactions, bounded like the candidate cache.
     */
    boolean keyMatches(CompiledRule.CompiledTarget t, String key) {
        if (key.length() > SHARED_VALUE_MAX_LENGTH) {
            return t.selects(key);
        }
        return keyOutcomes[t.keyRegexSlot].get(key, t::selects);
    }

    int functionCount() {
        return layout.functions();
    }

    /** Number of distinct whole transformation chains ({@code CompiledRule.chainId}). */
    int chainCount() {
        return layout.chains();
    }

    /**
     * This thread's prefilter scanner. Scanning holds no state between calls, so transactions
     * that run on the same thread (one after another, or interleaved across phases) share it.
     */
    LiteralPrefilter.Scanner scanner() {
        return scanners.get();
    }

    /** Slots of {@link #recentValues} per thread (a power of two; sets of four). */
    static final int RECENT_VALUES = 1024;

    /**
     * The calling thread's memory of recent short values (up to {@link #SHARED_VALUE_MAX_LENGTH}
     * chars), each with everything transactions have derived from it: transformation results,
     * masks, candidates. Four-way set-associative by hash, so a lookup is four probes at most
     * and a flood of new values only overwrites slots; one to two megabytes per thread at most. Only its thread may
     * touch these values (see {@code EngineTransaction.member}). Null when disabled with
     * {@code -Dbulwark.noSharedCandidates=true}.
     */
    Derived[] recentValues() {
        return NO_SHARED_CANDIDATES ? null : recentValues.get();
    }

    /**
     * Turns the shared candidate cache off ({@code -Dbulwark.noSharedCandidates=true}), so that
     * benchmarks that repeat one request can also be measured without its help.
     */
    private static final boolean NO_SHARED_CANDIDATES = Boolean.getBoolean("bulwark.noSharedCandidates");

    /** Longest value (or key) whose derived facts are shared between transactions. */
    static final int SHARED_VALUE_MAX_LENGTH = 256;

    /**
     * The prefilter candidates of a value (read-only: possibly shared between threads). Short
     * values repeat across requests — header names, user agents, Accept lists, common argument
     * values — so their candidate sets are kept in a bounded cache shared by all transactions;
     * its frequency-based admission keeps a flood of one-off values from displacing them.
     */
    BitSet candidates(String text, LiteralPrefilter.Scanner scanner) {
        if (text.length() > SHARED_VALUE_MAX_LENGTH || NO_SHARED_CANDIDATES) {
            return scanner.candidates(text);
        }
        BitSet c = sharedCandidates.getIfPresent(text);
        if (c == null) {
            c = scanner.candidates(text);
            sharedCandidates.put(text, c);
        }
        return c;
    }

    /** Number of distinct (collection, transformation chain) pairs that targets summarise. */
    int summarySlotCount() {
        return layout.summarySlots();
    }

    /** Number of distinct target lists (as summary slots) that gate whole rules. */
    int gateCount() {
        return layout.gates();
    }

    /** Number of distinct keyed selectors, for the per-transaction selection table. */
    int selectionCount() {
        return layout.selections();
    }

    /** Number of collections whose candidate unions a transaction may keep. */
    int collectionCount() {
        return layout.collections();
    }

    List<AuditSink> auditSinks() {
        return auditSinks;
    }
}
