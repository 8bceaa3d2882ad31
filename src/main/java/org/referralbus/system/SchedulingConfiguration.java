package org.referralbus.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Periodic work (registry reload, acknowledgement deadlines) runs on Spring's scheduler; its state lives in the database. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {
}
