/** Types of chain-chunk.mjs (see there). */
export declare const CHAIN_COPY_SELECT: string;
export declare function firstAlteredSeq(text: string): string | null;
