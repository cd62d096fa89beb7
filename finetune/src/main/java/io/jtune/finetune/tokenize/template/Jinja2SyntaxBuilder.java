package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.OrOperator;
import com.hubspot.jinjava.el.ext.PowerOfOperator;
import com.hubspot.jinjava.el.ext.TruncDivOperator;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Parser.ParseException;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstMethod;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstProperty;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression syntax with Jinja2's precedence for {@code not} and Python's operators (see
 * {@link PythonOperators}): {@code not a == b} is {@code not (a == b)} (Jinjava would read
 * {@code (not a) == b}); {@code and}/{@code or} return an operand; {@code ==}, the comparisons,
 * {@code %}, {@code *}, {@code //} and {@code **} behave as in Python; reading an attribute or
 * item of an undefined value raises as in Jinja2 (see {@link Jinja2Undefined}).
 */
final class Jinja2SyntaxBuilder extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    Jinja2SyntaxBuilder() {
        super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
        return new Jinja2Parser(this, expression);
    }

    private static final class Jinja2Parser extends ExtendedParser {
        Jinja2Parser(Builder builder, String expression) {
            super(builder, expression);
            putExtensionHandler(TruncDivOperator.TOKEN, binary(PythonOperators.FLOOR_DIV));
            putExtensionHandler(PowerOfOperator.TOKEN, binary(PythonOperators.POWER));
        }

        private Parser.ExtensionHandler binary(AstBinary.Operator operator) {
            return new Parser.ExtensionHandler(Parser.ExtensionPoint.MUL) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return createAstBinary(children[0], children[1], operator);
                }
            };
        }

        @Override
        protected AstNode unary(boolean required) throws Scanner.ScanException, ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.unary(required);
        }

        @Override
        protected AstIdentifier createAstIdentifier(String name, int index) {
            return new Jinja2Undefined.Identifier(name, index);
        }

        @Override
        protected AstDot createAstDot(AstNode prefix, String property, boolean lvalue) {
            return new Jinja2Undefined.Dot(prefix, property, lvalue);
        }

        @Override
        protected AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
            return new Jinja2Undefined.Bracket(base, property, lvalue, strict);
        }

        @Override
        protected AstMethod createAstMethod(AstProperty property, AstParameters params) {
            return new Jinja2Undefined.Method(property, params);
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            AstBinary.Operator python = operator;
            if (operator == AstBinary.MOD) {
                python = PythonOperators.MOD;
            } else if (operator == AstBinary.MUL) {
                python = PythonOperators.MUL;
            } else if (operator == AstBinary.AND) {
                python = PythonOperators.AND;
            } else if (operator == AstBinary.OR || operator == OrOperator.OP) {
                python = PythonOperators.OR;
            } else if (operator == AstBinary.EQ) {
                python = PythonOperators.EQ;
            } else if (operator == AstBinary.NE) {
                python = PythonOperators.NE;
            } else if (operator == AstBinary.LT) {
                python = PythonOperators.LT;
            } else if (operator == AstBinary.LE) {
                python = PythonOperators.LE;
            } else if (operator == AstBinary.GT) {
                python = PythonOperators.GT;
            } else if (operator == AstBinary.GE) {
                python = PythonOperators.GE;
            }
            return super.createAstBinary(left, right, python);
        }
    }
}
