/**
 * Synthesized takes with their ground truth: the kit ({@code SynthKit}), rooms and their
 * background ({@code Room}), takes recorded like a musician's ({@code TakeBuilder}) or with hits
 * placed by hand ({@code TakeSynthesizer}), which the demo command processes and the tests and
 * the quality lab use. Depends on {@code audio} only (for {@code PcmFormat}).
 */
package app.littlebit.worker.demo;
