/**
 * Reading configuration files and rule files (YAML or JSON) with precise errors: file, rule id,
 * field and reason. Unknown keys are errors. Stateless and thread-safe.
 */
package dev.bulwark.waf.config;
