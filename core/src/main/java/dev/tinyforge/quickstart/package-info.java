/**
 * The quickstart loop: data, base measurement, fine-tune, measurement, on bundled data. It uses data,
 * eval, train and model, and sits just below cli in the layers.
 */
package dev.tinyforge.quickstart;
