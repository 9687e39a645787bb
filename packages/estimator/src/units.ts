// Unit constants. Memory is reported in decimal gigabytes (1e9 bytes), as vendors publish it.
export const BYTES_PER_GB = 1e9;
export const SECONDS_PER_HOUR = 3600;
export const HOURS_PER_DAY = 24;
export const SECONDS_PER_DAY = 86_400;
export const MS_PER_SECOND = 1000;
export const TOKENS_PER_MILLION = 1e6;
export const BITS_PER_BYTE = 8;

export function bytesToGb(bytes: number): number {
  return bytes / BYTES_PER_GB;
}
