/**
 * What the editor around the language features can take and already does, so that they
 * neither send what it cannot use nor repeat what its TypeScript server says.
 */

/** Options every language feature may read. */
export interface FeatureOptions {
  /** The client inserts snippets (`completionItem.snippetSupport`); else completions are plain text. */
  snippetSupport: boolean;
  /**
   * A TypeScript server serves the same file and sees Clockwork's type declarations (VS Code
   * after `clockwork init` / Init Project). It then reports unknown fields, wrong types and
   * missing imports, shows each class's summary and example, and completes field names and
   * enum values; Clockwork leaves those to it and keeps what types cannot say.
   */
  typescript: boolean;
}

/** The options of a snippet-capable client with no TypeScript server beside it. */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { snippetSupport: true, typescript: false };
