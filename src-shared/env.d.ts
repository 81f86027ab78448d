// src-shared is compiled without Node or DOM types (tsconfig.shared.json) so that it cannot
// reach for I/O. These two encoders exist in every runtime Guardian targets (Node, Chromium,
// Electron) and do no I/O, so they are declared here, narrowly.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
