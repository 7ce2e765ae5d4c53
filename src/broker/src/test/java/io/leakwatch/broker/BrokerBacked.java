package io.leakwatch.broker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Marks a test class whose tests run against {@link TestBrokers#start()}: where the selected broker cannot run (the
 * container broker without a Docker engine) or cannot do what the class needs ({@link #restarts()}), the whole class
 * is disabled with a one-line reason before anything is set up, and the build reports its tests skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BrokerBacked.Condition.class)
public @interface BrokerBacked {

    /** Whether the tests restart the broker under their clients ({@link TestBroker#restart()}). */
    boolean restarts() default false;

    /** Decides from the switch, and only asks for a Docker engine when the container broker is selected. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean restarts = context.getTestClass()
                    .map(c -> c.getAnnotation(BrokerBacked.class))
                    .map(BrokerBacked::restarts)
                    .orElse(false);
            String reason = TestBrokers.unavailableReason(restarts);
            if (reason == null) {
                return ConditionEvaluationResult.enabled("the selected broker can run these tests");
            }
            // the build's console shows skipped tests without their reason: say it once per class
            if (context.getTestMethod().isEmpty()) {
                LoggerFactory.getLogger(BrokerBacked.class).warn("skipped {}: {}", context.getDisplayName(), reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
