package org.longbel.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parser's fuzz target. In the normal test run it replays the committed inputs in
 * {@code <Class>Inputs/<method>/}; under {@code scripts/fuzz.sh} (which sets {@code JAZZER_FUZZ=1}) it fuzzes
 * until 1,000,000 executions or 10 minutes, whichever comes first. Jazzer takes these limits from the annotation
 * only, so they live here, once for every target.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
@interface ParserFuzz {}
