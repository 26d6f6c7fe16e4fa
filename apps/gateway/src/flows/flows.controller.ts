import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { FlowView } from '../view/flow-view.js';

class FlowDto {
  @ApiProperty({ type: String, description: 'the node whose flow discovery saw the flows' })
  readonly node!: string;
  @ApiProperty({ type: String, description: 'the Meshmon node at the other end' })
  readonly peer!: string;
  @ApiProperty({ type: Number, description: 'TCP sockets to the peer' }) readonly tcp!: number;
  @ApiProperty({ type: Number, description: 'connected UDP sockets to the peer' })
  readonly udp!: number;
  @ApiProperty({ type: Number, description: 'conntrack entries with the peer' })
  readonly conntrack!: number;
  @ApiProperty({ type: Number, description: 'when the node read its flows (ms, its clock)' })
  readonly lastSeenMs!: number;
  @ApiProperty({ type: Number, description: 'how often the node reports (ms)' })
  readonly intervalMs!: number;
}

class FlowsDto {
  @ApiProperty({ type: [FlowDto] }) readonly flows!: FlowDto[];
}

/**
 * What the applications do between nodes, as flow discovery observes it passively: each
 * node's latest flow map, one entry per peer it has traffic with (Meshmon's own traffic
 * is never counted). Beside the active figures of /api/v1/pairs.
 */
@ApiTags('flows')
@ApiBearerAuth()
@Controller('api/v1/flows')
export class FlowsController {
  constructor(@Inject(FlowView) private readonly view: FlowView) {}

  @Get()
  @ApiOkResponse({ type: FlowsDto })
  list(): FlowsDto {
    return { flows: this.view.flows() };
  }
}
