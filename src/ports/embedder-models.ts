/**
 * Trained embedding models kept in the database (issue 12): the built-in model is learned from
 * the store's papers (decision 021), and every node of a deployment must embed queries with the
 * very model the stored vectors were made with. So a trained model is kept here under its
 * embedder id, and each node loads it from here, instead of training its own (decision 030).
 * Implemented by each store's vectors part; contract: test/contracts/embedder-models.contract.ts.
 */

export interface StoredModel {
  /** the embedder id (Embedder.id), which names the model's trained state */
  id: string;
  bytes: Buffer;
}

export interface EmbedderModels {
  /** Keeps a model under its id; one kept already is left as it is (an id names one model). */
  saveModel(id: string, kind: string, bytes: Uint8Array, now: string): Promise<void>;
  /** A kept model, or null. */
  model(id: string): Promise<StoredModel | null>;
  /** The newest model of a kind ("builtin"), or null when none was kept. */
  latestModel(kind: string): Promise<StoredModel | null>;
  /** The newest model's id alone (no bytes read): what a node compares with the model it holds. */
  latestModelId(kind: string): Promise<string | null>;
}
