/**
 * The embedder the settings choose (PAPERBOY_EMBEDDER): the built-in model through the loader
 * the caller passes (core/embedding/builtin-embedder.ts, which needs the store), a
 * sentence-transformer in ONNX form from a model folder, or an OpenAI-compatible endpoint. Each
 * adapter module is imported only when chosen: onnxruntime is not loaded by the default.
 */
import type { Config } from '../../config.js';
import { PaperboyError } from '../../core/errors.js';
import type { Embedder } from '../../ports/embedder.js';

export type EmbedderSettings = Pick<
  Config,
  | 'PAPERBOY_EMBEDDER'
  | 'PAPERBOY_MODEL_DIR'
  | 'PAPERBOY_ONNX_MODEL'
  | 'PAPERBOY_EMBEDDINGS_URL'
  | 'PAPERBOY_EMBEDDINGS_MODEL'
  | 'PAPERBOY_EMBEDDINGS_API_KEY'
  | 'PAPERBOY_EMBEDDINGS_DIMENSIONS'
  | 'PAPERBOY_EMBEDDINGS_QUERY_PREFIX'
  | 'PAPERBOY_EMBEDDINGS_DOCUMENT_PREFIX'
  | 'PAPERBOY_HTTP_MAX_RETRIES'
  | 'PAPERBOY_HTTP_TIMEOUT_MS'
>;

export interface EmbedderDeps {
  /** makes the built-in embedder (PAPERBOY_EMBEDDER=builtin) */
  loadBuiltin?: (config: EmbedderSettings) => Promise<Embedder>;
  log?: (msg: string) => void;
}

export async function embedderFromConfig(config: EmbedderSettings, deps: EmbedderDeps = {}): Promise<Embedder> {
  const prefixes = { query: config.PAPERBOY_EMBEDDINGS_QUERY_PREFIX, document: config.PAPERBOY_EMBEDDINGS_DOCUMENT_PREFIX };
  switch (config.PAPERBOY_EMBEDDER) {
    case 'builtin':
      if (!deps.loadBuiltin) throw new PaperboyError('UNSUPPORTED', 'PAPERBOY_EMBEDDER=builtin: this command was given no way to load the built-in embedder (embedderFromConfig needs loadBuiltin)');
      return deps.loadBuiltin(config);
    case 'none':
      throw new PaperboyError('UNSUPPORTED', 'PAPERBOY_EMBEDDER=none: search is by words only, with no embedder');
    case 'onnx': {
      const { OnnxEmbedder, resolveModelFolder } = await import('./onnx.embedder.js');
      if (config.PAPERBOY_ONNX_MODEL === '') throw new PaperboyError('CONFIG_INVALID', 'PAPERBOY_ONNX_MODEL: needed when PAPERBOY_EMBEDDER=onnx');
      return OnnxEmbedder.create({ ...resolveModelFolder(config.PAPERBOY_ONNX_MODEL, config.PAPERBOY_MODEL_DIR), queryPrefix: prefixes.query, documentPrefix: prefixes.document });
    }
    case 'openai': {
      const { OpenAiEmbedder } = await import('./openai.embedder.js');
      return OpenAiEmbedder.create({
        url: config.PAPERBOY_EMBEDDINGS_URL,
        model: config.PAPERBOY_EMBEDDINGS_MODEL,
        apiKey: config.PAPERBOY_EMBEDDINGS_API_KEY,
        dimensions: config.PAPERBOY_EMBEDDINGS_DIMENSIONS,
        prefixes,
        maxRetries: config.PAPERBOY_HTTP_MAX_RETRIES,
        timeoutMs: config.PAPERBOY_HTTP_TIMEOUT_MS,
        ...(deps.log ? { log: deps.log } : {}),
      });
    }
  }
}
