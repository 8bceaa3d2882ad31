package org.referralbus.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an endpoint (or its controller) that audits its own refusals, with more than the web layer knows (the intake
 * its envelope's hash, the case desk its case): the web layer then does not audit them a second time.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RefusalsAuditedHere {
}
