package org.referralbus.system;

import org.referralbus.core.StartupRefusal;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Refuses to start with a {@code referral-bus.*} setting the bus does not read, from any source: Spring would ignore
 * it and the bus would run on the default, which for a setting that protects victims' privacy (the smallest
 * published statistics cell, the rate limit, retention) is not what the operator asked for. Checked once the
 * configuration files are read and before any bean exists; the administrative commands' contexts are checked too.
 */
class UnknownSettingGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        UnknownSettings.in(event.getEnvironment()).ifPresent(unknown -> {
            throw new StartupRefusal(unknown.sentence(), "Correct the name or remove the setting; docs/operators.md,"
                    + " 'Configuration', lists every setting of the bus.");
        });
    }
}
