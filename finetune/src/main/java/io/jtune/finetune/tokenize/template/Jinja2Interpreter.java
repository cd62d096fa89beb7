package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Clock;

/**
 * A Jinjava interpreter that prints values as Python's {@code str()} does ({@code True},
 * {@code ['a', 'b']}, {@code {'k': 1}}) and carries the clock that {@code strftime_now} reads.
 */
final class Jinja2Interpreter extends JinjavaInterpreter {
    private final Clock clock;

    private Jinja2Interpreter(Jinjava application, Context context, JinjavaConfig config, Clock clock) {
        super(application, context, config);
        this.clock = clock;
    }

    private Jinja2Interpreter(JinjavaInterpreter parent, Clock clock) {
        super(parent);
        this.clock = clock;
    }

    /** The clock of the template being rendered. */
    Clock clock() {
        return clock;
    }

    @Override
    public String getAsString(Object value) {
        return PythonValues.str(value);
    }

    /** Makes {@link Jinja2Interpreter}s that read time from {@code clock}. */
    static InterpreterFactory factory(Clock clock) {
        return new InterpreterFactory() {
            @Override
            public JinjavaInterpreter newInstance(JinjavaInterpreter parent) {
                return new Jinja2Interpreter(parent, parent instanceof Jinja2Interpreter j ? j.clock : clock);
            }

            @Override
            public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig config) {
                return new Jinja2Interpreter(application, context, config, clock);
            }
        };
    }
}
