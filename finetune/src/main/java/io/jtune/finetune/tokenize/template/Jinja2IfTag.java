package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.tree.TagNode;

/**
 * {@code {% if %}} and {@code {% elif %}} with Python's truth: Jinjava's own tag takes the string
 * {@code "false"} as false.
 */
final class Jinja2IfTag extends IfTag {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isPositiveIfElseNode(TagNode node, JinjavaInterpreter interpreter) {
        return PythonValues.truthy(
                interpreter.resolveELExpression(node.getHelpers(), node.getLineNumber(), node.getStartPosition()));
    }
}
