/**
 * pdfjs-dist 6 targets Node ≥ 22 and calls two built-ins that Node 20 (this project's floor) lacks.
 * Its legacy build polyfills everything else through core-js, but not these. Each shim is installed
 * only where the built-in is missing, so on Node 22+ this module does nothing.
 */

type Resolvers<T> = {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

const promiseCtor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = <T>(): Resolvers<T> => {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// pdf.js's font-info serialiser trims a scratch buffer with it; a copy is equivalent.
const bufferProto = ArrayBuffer.prototype as unknown as {
  transferToFixedLength?: (this: ArrayBuffer, length?: number) => ArrayBuffer;
};
if (typeof bufferProto.transferToFixedLength !== 'function') {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length: number = this.byteLength): ArrayBuffer {
      const out = new ArrayBuffer(length);
      new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return out;
    },
  });
}

export {};
