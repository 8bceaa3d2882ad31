package org.referralbus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ReferralBusApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferralBusApplication.class, args);
    }
}
