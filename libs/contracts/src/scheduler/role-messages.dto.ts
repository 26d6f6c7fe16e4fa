/**
 * Within one node: the controller's role commands and what its sensor and monitor report
 * back. Epochs are integers so a late `module-idle` compares exactly with the command.
 */
import type { ModuleIdle, ModuleReady, RoleCommand, RoundComplete } from '@meshmon/scheduling';
import {
  IsBool,
  IsIntAtLeast,
  IsLiteral,
  IsNumberAtLeast,
  IsOneOf,
  Optional,
} from '../validation/rules.js';

/** The modules that take roles (the controller gives them). */
export const ROLE_MODULES = ['sensor', 'monitor'] as const;

export class RoleCommandV1 implements RoleCommand {
  @IsLiteral('role') readonly type!: 'role';
  @IsBool() readonly active!: boolean;
  @IsIntAtLeast(0) readonly epoch!: number;
  @Optional() @IsNumberAtLeast(0) readonly backInMs?: number;
}

export class ModuleIdleV1 implements ModuleIdle {
  @IsLiteral('module-idle') readonly type!: 'module-idle';
  @IsOneOf(ROLE_MODULES) readonly module!: 'sensor' | 'monitor';
  @IsIntAtLeast(0) readonly epoch!: number;
}

export class ModuleReadyV1 implements ModuleReady {
  @IsLiteral('module-ready') readonly type!: 'module-ready';
  @IsOneOf(ROLE_MODULES) readonly module!: 'sensor' | 'monitor';
}

export class RoundCompleteV1 implements RoundComplete {
  @IsLiteral('round-complete') readonly type!: 'round-complete';
  @IsIntAtLeast(0) readonly epoch!: number;
}
