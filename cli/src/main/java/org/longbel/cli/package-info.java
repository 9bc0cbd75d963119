/**
 * The {@code longbel} command-line tool: one picocli command per file ({@code inspect}, {@code random-model},
 * {@code logprobs}, {@code generate}, {@code tokenize}, {@code detokenize}, {@code kb}, {@code link},
 * {@code eval}, {@code demo}, {@code gpu-check}), assembled by {@link org.longbel.cli.Main#commandLine()}.
 * Results go to stdout as JSON ({@link org.longbel.cli.JsonOutput}); an error is one line
 * {@code longbel: <message>} on stderr with a non-zero exit code ({@link org.longbel.cli.ErrorHandler}; the
 * stack trace with {@code --verbose}, from {@link org.longbel.cli.CommonOptions}). Run it with
 * {@code ./longbel <command> --help}, which builds the jar on first use.
 */
package org.longbel.cli;
