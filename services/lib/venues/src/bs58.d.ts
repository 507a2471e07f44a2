// bs58 4.0.1 ships no types; this is the part of its API (base-x 3) we use.
declare module 'bs58' {
  const bs58: {
    encode(source: Uint8Array | readonly number[]): string;
    decode(text: string): Buffer;
  };
  export default bs58;
}
