/** Round Robin's token, passed and acknowledged between controllers, and its holder's broadcast. */
import type { TokenAck, TokenHolder, TokenPass } from '@meshmon/scheduling';
import { IsIntAtLeast, IsLiteral, IsNodeName } from '../validation/rules.js';

export class TokenPassV1 implements TokenPass {
  @IsLiteral('token-pass') readonly type!: 'token-pass';
  @IsNodeName() readonly from!: string;
  @IsIntAtLeast(0) readonly generation!: number;
}

export class TokenAckV1 implements TokenAck {
  @IsLiteral('token-ack') readonly type!: 'token-ack';
  @IsNodeName() readonly from!: string;
  @IsIntAtLeast(0) readonly generation!: number;
}

export class TokenHolderV1 implements TokenHolder {
  @IsLiteral('token-holder') readonly type!: 'token-holder';
  @IsNodeName() readonly node!: string;
  @IsIntAtLeast(0) readonly generation!: number;
}
