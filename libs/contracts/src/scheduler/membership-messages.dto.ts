/**
 * Membership between controllers: liveness pings carrying a view digest, join and leave
 * broadcasts, and the member list a controller hands to its own sensor and monitor.
 */
import type { Goodbye, Hello, MembersUpdate, Ping, Pong, Welcome } from '@meshmon/scheduling';
import {
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsNodeNameList,
  IsToken,
  Optional,
} from '../validation/rules.js';
import { MAX_MEMBERS } from './limits.js';

export class PingV1 implements Ping {
  @IsLiteral('ping') readonly type!: 'ping';
  @IsNodeName() readonly from!: string;
  @IsIntAtLeast(0) readonly nonce!: number;
  @IsToken() readonly viewId!: string;
}

export class PongV1 implements Pong {
  @IsLiteral('pong') readonly type!: 'pong';
  @IsNodeName() readonly from!: string;
  @IsIntAtLeast(0) readonly nonce!: number;
  @Optional() @IsNodeNameList(MAX_MEMBERS) readonly members?: readonly string[];
}

export class HelloV1 implements Hello {
  @IsLiteral('hello') readonly type!: 'hello';
  @IsNodeName() readonly node!: string;
}

export class WelcomeV1 implements Welcome {
  @IsLiteral('welcome') readonly type!: 'welcome';
  @IsNodeName() readonly node!: string;
}

export class GoodbyeV1 implements Goodbye {
  @IsLiteral('goodbye') readonly type!: 'goodbye';
  @IsNodeName() readonly node!: string;
}

export class MembersUpdateV1 implements MembersUpdate {
  @IsLiteral('members') readonly type!: 'members';
  @IsNodeNameList(MAX_MEMBERS) readonly members!: readonly string[];
}
