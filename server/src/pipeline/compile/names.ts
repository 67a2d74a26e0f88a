/** The names that tie PyInfra's output back to Clockwork's resources and checks. */

/**
 * The name of an operation, `"<Kind> <name>: <step>"`: it maps PyInfra's output and results back
 * to the resource (and, for assert.py, to the check). Every operation's name is built here.
 */
export function operationName(kind: string, name: string, step: string): string {
  return `${kind} ${name}: ${step}`;
}

/** The key a resource's prior facts are recorded under in the results, e.g. `UserResource web`. */
export function priorKey(kind: string, name: string): string {
  return `${kind} ${name}`;
}
