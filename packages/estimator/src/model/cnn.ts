// Exact parameter and multiply-accumulate counts for a CNN given as a layer list, by tracking
// the tensor shape through the layers. Output size of a convolution or pooling window:
// floor((H - F + 2p) / s) + 1 (Dumoulin & Visin 2016, "A guide to convolution arithmetic", rel. 6).
import { EstimatorInputError } from "../errors";
import type { CnnArchitecture, CnnLayer } from "../types";

export interface Shape {
  height: number;
  width: number;
  channels: number;
}

export interface CnnCounts {
  parameters: number;
  /** multiply-accumulates of convolutions and dense layers per sample */
  forwardMacsPerSample: number;
  /** elements of every layer output (what back-propagation keeps) per sample */
  activationElementsPerSample: number;
  /** largest input+output pair of a single layer (working set when serving) per sample */
  peakLayerElementsPerSample: number;
  outputShape: Shape;
}

interface Accumulator {
  parameters: number;
  macs: number;
  activations: number;
  peak: number;
}

function elements(s: Shape): number {
  return s.height * s.width * s.channels;
}

/** Output length of a window op: floor((n + 2p - k) / s) + 1. */
export function windowOutputLength(n: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((n + 2 * padding - kernel) / stride) + 1;
}

function convPadding(padding: number | "same" | "valid" | undefined, kernel: number): number | "same" {
  if (padding === undefined || padding === "valid") return 0;
  if (padding === "same") return "same";
  return padding;
}

function conv(acc: Accumulator, input: Shape, filters: number, kernel: number, stride: number, padding: number | "same", bias: boolean, path: string[]): Shape {
  const outLen = (n: number) => (padding === "same" ? Math.ceil(n / stride) : windowOutputLength(n, kernel, stride, padding));
  const out = { height: outLen(input.height), width: outLen(input.width), channels: filters };
  if (out.height < 1 || out.width < 1) throw new EstimatorInputError(path, `convolution reduces the ${input.height}×${input.width} input to nothing`);
  acc.parameters += kernel * kernel * input.channels * filters + (bias ? filters : 0);
  acc.macs += kernel * kernel * input.channels * filters * out.height * out.width;
  record(acc, input, out);
  return out;
}

function batchnorm(acc: Accumulator, input: Shape): Shape {
  acc.parameters += 2 * input.channels; // gamma and beta; running statistics are buffers, not parameters
  record(acc, input, input);
  return input;
}

function record(acc: Accumulator, input: Shape, output: Shape): void {
  acc.activations += elements(output);
  acc.peak = Math.max(acc.peak, elements(input) + elements(output));
}

function residualBlock(acc: Accumulator, input: Shape, layer: Extract<CnnLayer, { type: "bottleneck" | "basicblock" }>, stride: number, path: string[]): Shape {
  const expansion = layer.type === "bottleneck" ? layer.expansion ?? 4 : 1;
  const outChannels = layer.filters * expansion;
  let x = input;
  if (layer.type === "bottleneck") {
    // torchvision v1.5 bottleneck: 1×1 reduce, 3×3 (carries the stride), 1×1 expand
    x = batchnorm(acc, conv(acc, x, layer.filters, 1, 1, 0, false, path));
    x = batchnorm(acc, conv(acc, x, layer.filters, 3, stride, 1, false, path));
    x = batchnorm(acc, conv(acc, x, outChannels, 1, 1, 0, false, path));
  } else {
    x = batchnorm(acc, conv(acc, x, layer.filters, 3, stride, 1, false, path));
    x = batchnorm(acc, conv(acc, x, outChannels, 3, 1, 1, false, path));
  }
  if (stride !== 1 || input.channels !== outChannels) {
    batchnorm(acc, conv(acc, input, outChannels, 1, stride, 0, false, path)); // projection shortcut
  }
  return x;
}

function applyLayer(acc: Accumulator, input: Shape, layer: CnnLayer, path: string[]): Shape {
  switch (layer.type) {
    case "conv2d":
      return conv(acc, input, layer.filters, layer.kernel, layer.stride ?? 1, convPadding(layer.padding, layer.kernel), layer.bias ?? true, path);
    case "batchnorm":
      return batchnorm(acc, input);
    case "activation":
      record(acc, input, input);
      return input;
    case "maxpool":
    case "avgpool": {
      const stride = layer.stride ?? layer.pool;
      const padding = layer.padding ?? 0;
      const out = { height: windowOutputLength(input.height, layer.pool, stride, padding), width: windowOutputLength(input.width, layer.pool, stride, padding), channels: input.channels };
      if (out.height < 1 || out.width < 1) throw new EstimatorInputError(path, `pooling reduces the ${input.height}×${input.width} input to nothing`);
      record(acc, input, out);
      return out;
    }
    case "globalavgpool": {
      const out = { height: 1, width: 1, channels: input.channels };
      record(acc, input, out);
      return out;
    }
    case "flatten":
      return { height: 1, width: 1, channels: elements(input) };
    case "dense": {
      const inFeatures = elements(input);
      const out = { height: 1, width: 1, channels: layer.units };
      acc.parameters += inFeatures * layer.units + (layer.bias ?? true ? layer.units : 0);
      acc.macs += inFeatures * layer.units;
      record(acc, input, out);
      return out;
    }
    case "bottleneck":
    case "basicblock": {
      let x = input;
      const repeat = layer.repeat ?? 1;
      for (let i = 0; i < repeat; i++) x = residualBlock(acc, x, layer, i === 0 ? layer.stride ?? 1 : 1, path);
      return x;
    }
  }
}

export function countCnn(arch: CnnArchitecture, basePath: string[] = ["model", "architecture"]): CnnCounts {
  const acc: Accumulator = { parameters: 0, macs: 0, activations: 0, peak: 0 };
  let shape: Shape = { ...arch.input };
  arch.layers.forEach((layer, i) => {
    shape = applyLayer(acc, shape, layer, [...basePath, "layers", String(i)]);
  });
  return {
    parameters: acc.parameters,
    forwardMacsPerSample: acc.macs,
    activationElementsPerSample: acc.activations,
    peakLayerElementsPerSample: Math.max(acc.peak, elements(arch.input)),
    outputShape: shape,
  };
}
