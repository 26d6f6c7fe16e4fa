import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { modelModule } from './k8s-schema.js';
import type { K8sObject } from './render-kustomize.js';

/**
 * Finds fields that the Kubernetes API does not define (a misspelt `readinesProbe`, a
 * `port` under `ports[0]`): the OpenAPI schemas have no `additionalProperties: false`,
 * so the validators accept them and the API server would drop them silently.
 *
 * The source of the property names is the TypeScript declarations that ship with
 * kubernetes-models (`I<Kind>` interfaces, generated from the same OpenAPI spec as its
 * validators): one TypeScript program resolves each object's interface, and a walk
 * follows every property's declared type down the object. Map-typed fields (labels,
 * ConfigMap data) are index signatures and take any key.
 */
export class KnownFields {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  private constructor(kinds: readonly Pick<K8sObject, 'apiVersion' | 'kind'>[]) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('kubernetes-models/package.json'));
    // A virtual file (never written) at the repository root, whose node_modules hold the
    // package: `export type T0 = IDaemonSet`, ...
    const file = join(dirname(root), '..', '__meshmon_k8s_kinds__.ts');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      noEmit: true,
      skipLibCheck: true,
    };
    // Kinds the package does not declare are left out; unknownFields reports them.
    const unique = [...new Map(kinds.map((k) => [modelModule(k), k])).values()].filter(
      (k) =>
        ts.resolveModuleName(modelModule(k), file, options, ts.sys).resolvedModule !== undefined,
    );
    const source = unique
      .map(
        (k, i) =>
          `import type { I${k.kind} as K${i} } from '${modelModule(k)}';\nexport type T${i} = K${i};`,
      )
      .join('\n');
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file
        ? ts.createSourceFile(name, source, language)
        : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram({ rootNames: [file], options, host });
    const problems = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (problems.length > 0) throw new Error(`kubernetes-models types: ${problems.join('; ')}`);
    this.checker = program.getTypeChecker();
    const sourceFile = program.getSourceFile(file);
    for (const statement of sourceFile?.statements ?? []) {
      if (!ts.isTypeAliasDeclaration(statement)) continue;
      const index = Number(statement.name.text.slice(1));
      this.types.set(modelModule(unique[index]), this.checker.getTypeAtLocation(statement.name));
    }
  }

  /** Loads the declarations of every kind among `objects` (about a second). */
  static for(objects: readonly Pick<K8sObject, 'apiVersion' | 'kind'>[]): KnownFields {
    return new KnownFields(objects);
  }

  /** Paths of the fields in `object` that its kind does not define. */
  unknownFields(object: K8sObject): string[] {
    const type = this.types.get(modelModule(object));
    if (!type)
      return [
        `${object.kind}/${object.metadata.name}: kubernetes-models declares no ${object.kind} in ${object.apiVersion}`,
      ];
    const found: string[] = [];
    this.walk(object, type, '', found);
    return found.map((problem) => `${object.kind}/${object.metadata.name}: ${problem}`);
  }

  private walk(value: unknown, declared: ts.Type, path: string, found: string[]): void {
    if (value === null || typeof value !== 'object') return;
    const candidates = this.objectTypes(declared);
    if (candidates === 'any') return;
    if (candidates.length === 0) {
      found.push(
        `${path || '(root)'} is an object or list where the schema has ${this.checker.typeToString(declared)}`,
      );
      return;
    }
    // A union of object types (rare in the API): the value fits if any member fits.
    let best: string[] | undefined;
    for (const candidate of candidates) {
      const attempt: string[] = [];
      this.walkObject(value, candidate, path, attempt);
      if (attempt.length === 0) return;
      if (!best || attempt.length < best.length) best = attempt;
    }
    found.push(...(best ?? []));
  }

  private walkObject(value: object, type: ts.Type, path: string, found: string[]): void {
    if (Array.isArray(value)) {
      const element = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      if (!element) {
        found.push(`${path} is a list where the schema has ${this.checker.typeToString(type)}`);
        return;
      }
      value.forEach((item, i) => this.walk(item, element, `${path}[${i}]`, found));
      return;
    }
    const indexType = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    for (const [key, child] of Object.entries(value)) {
      const property = this.checker.getPropertyOfType(type, key);
      const childPath = path ? `${path}.${key}` : key;
      if (property) this.walk(child, this.checker.getTypeOfSymbol(property), childPath, found);
      else if (indexType) this.walk(child, indexType, childPath, found);
      else found.push(`${childPath} is not a field of ${this.checker.typeToString(type)}`);
    }
  }

  /** The object members of a declared type (undefined, null and primitives dropped). */
  private objectTypes(type: ts.Type): ts.Type[] | 'any' {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
    const members = type.isUnion() ? type.types : [type];
    return members.filter((member) => (member.flags & ts.TypeFlags.Object) !== 0);
  }
}
