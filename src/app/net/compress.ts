// Request bodies gzipped on the phone (CompressionStream): a batch of 500 events is mostly
// repeated keys and codes, 5–10× smaller compressed, which is what a 2G/3G upload waits for.
// The server inflates them under the same size limits (server http/body.ts).

/** Bodies smaller than this go as they are: the gzip header would be most of them. */
const MIN_BYTES = 1024;

export interface EncodedBody {
  body: BodyInit;
  headers: Record<string, string>;
}

/** JSON text as a request body: gzip with its Content-Encoding where the browser can, else as it is. */
export async function encodeJson(text: string, { gzip = true }: { gzip?: boolean } = {}): Promise<EncodedBody> {
  const plain = { body: text, headers: { 'Content-Type': 'application/json' } };
  if (!gzip || text.length < MIN_BYTES || typeof CompressionStream === 'undefined') return plain;
  try {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    return { body: bytes, headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } };
  } catch {
    return plain;
  }
}
