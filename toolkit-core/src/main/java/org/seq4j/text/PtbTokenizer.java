package org.seq4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a sentence of raw English text into Penn Treebank tokens, as the WSJ text of CoNLL-2000 and the Treebank's
 * own tokenizer ({@code tokenizer.sed}) does; the rules are those of NLTK's {@code TreebankWordTokenizer} with
 * {@code convert_parentheses=True}, and its output on the test corpus is NLTK 3.10.3's, token for token:
 * punctuation split from words (a period only at the end of the sentence, so {@code U.S.} and {@code 3.5} stay whole),
 * double quotes as {@code ``} and {@code ''}, clitics split ({@code do n't}, {@code John 's}, {@code we 're},
 * {@code can not}, {@code gon na}), and brackets written as the Treebank writes them ({@code -LRB-}, {@code -RRB-},
 * {@code -LSB-}, {@code -RSB-}, {@code -LCB-}, {@code -RCB-}).
 */
public final class PtbTokenizer {

    /** A rule: every match of {@code pattern} becomes {@code replacement} (Java's {@code $n} syntax). */
    private record Rule(Pattern pattern, String replacement) {
        static Rule of(String regex, String replacement) {
            // Python 3's str patterns: \d, \s, \w and \b are Unicode-aware
            return new Rule(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), replacement);
        }

        String apply(String s) {
            return pattern.matcher(s).replaceAll(replacement);
        }
    }

    private static final List<Rule> STARTING_QUOTES = List.of(
            Rule.of("^\"", "``"),
            Rule.of("(``)", " $1 "),
            Rule.of("([ (\\[{<])(\"|'{2})", "$1 `` "));

    private static final List<Rule> PUNCTUATION = List.of(
            Rule.of("([:,])([^\\d])", " $1 $2"),
            Rule.of("([:,])$", " $1 "),
            Rule.of("\\.\\.\\.", " ... "),
            Rule.of("[;@#$%&]", " $0 "),
            // a period ends a word only at the end of the sentence (before closing brackets and quotes)
            Rule.of("([^.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 "),
            Rule.of("[?!]", " $0 "),
            Rule.of("([^'])' ", "$1 ' "));

    private static final List<Rule> BRACKETS = List.of(
            Rule.of("[\\]\\[(){}<>]", " $0 "),
            Rule.of("--", " -- "));

    private static final List<Rule> ENDING_QUOTES = List.of(
            Rule.of("''", " '' "),
            Rule.of("\"", " '' "),
            Rule.of("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
            Rule.of("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "));

    /** Words the Treebank writes as two tokens. */
    private static final List<Rule> CONTRACTIONS = List.of(
            Rule.of("(?i)\\b(can)(not)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(d)('ye)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(gim)(me)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(gon)(na)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(got)(ta)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(lem)(me)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(more)('n)\\b", " $1 $2 "),
            Rule.of("(?i)\\b(wan)(na)(?=\\s)", " $1 $2 "),
            Rule.of("(?i) ('t)(is)\\b", " $1 $2 "),
            Rule.of("(?i) ('t)(was)\\b", " $1 $2 "));

    private static final Pattern SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private PtbTokenizer() {
    }

    /** The Treebank tokens of {@code sentence} (one sentence of raw text); none for a blank string. */
    public static List<String> tokenize(String sentence) {
        String s = sentence;
        for (Rule r : STARTING_QUOTES) {
            s = r.apply(s);
        }
        for (Rule r : PUNCTUATION) {
            s = r.apply(s);
        }
        for (Rule r : BRACKETS) {
            s = r.apply(s);
        }
        s = " " + s + " ";
        for (Rule r : ENDING_QUOTES) {
            s = r.apply(s);
        }
        for (Rule r : CONTRACTIONS) {
            s = r.apply(s);
        }
        List<String> out = new ArrayList<>();
        for (String t : SPACE.split(s.strip())) {
            if (!t.isEmpty()) {
                out.add(escapeBracket(t));
            }
        }
        return out;
    }

    private static String escapeBracket(String t) {
        return switch (t) {
            case "(" -> "-LRB-";
            case ")" -> "-RRB-";
            case "[" -> "-LSB-";
            case "]" -> "-RSB-";
            case "{" -> "-LCB-";
            case "}" -> "-RCB-";
            default -> t;
        };
    }
}
