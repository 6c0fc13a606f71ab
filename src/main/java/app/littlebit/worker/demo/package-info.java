/** The demo take the README's first command processes: a synthesized recording of a few hits. */
package app.littlebit.worker.demo;
