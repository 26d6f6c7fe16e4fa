import type { K8sObject } from './render-kustomize.js';

/** The kubernetes-models module of a kind: `apps/v1` + `DaemonSet` -> `apps/v1/DaemonSet`. */
export function modelModule(object: Pick<K8sObject, 'apiVersion' | 'kind'>): string {
  // The core group has no name: `v1` objects live in `kubernetes-models/v1/<Kind>`.
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Problems of one object against the Kubernetes OpenAPI schema (kubernetes-models 4.5,
 * generated from Kubernetes v1.33's OpenAPI spec, compiled to ajv validators). An
 * apiVersion/kind the package does not know is a problem too, never a skip. These
 * schemas allow unknown fields; `unknownFields` covers those.
 */
// Call it for one object at a time: jest's ESM loader fails concurrent first imports
// of the same module ("request for ... is not in cache").
/**
 * kustomize wraps a long Secret value's base64 at 70 characters, and the API server's
 * decoder (Go's encoding/base64) skips the line breaks; the schema's `byte` format does
 * not, so they go before the check.
 */
function asTheApiReadsIt(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || typeof object.data !== 'object' || object.data === null) {
    return object;
  }
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/[\r\n]/g, ''),
    ]),
  );
  return { ...object, data };
}

export async function schemaProblems(object: K8sObject): Promise<string[]> {
  const where = `${object.kind}/${object.metadata.name}`;
  let Model: ModelClass | undefined;
  try {
    const module = (await import(modelModule(object))) as Record<string, unknown>;
    Model = module[object.kind] as ModelClass | undefined;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ||
      /Cannot find module/.test(String(error));
    if (!missing) throw error;
    return [`${where}: kubernetes-models knows no ${object.kind} in ${object.apiVersion}`];
  }
  if (typeof Model !== 'function')
    return [`${where}: kubernetes-models has no class ${object.kind}`];
  try {
    new Model(asTheApiReadsIt(object)).validate();
    return [];
  } catch (error) {
    const errors = (
      error as { errors?: { instancePath: string; message?: string; params?: unknown }[] }
    ).errors;
    if (!errors) return [`${where}: ${String(error)}`];
    return errors.map(
      (e) => `${where}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}
