import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { LiveView } from '../view/live-view.js';

class NodeDto {
  @ApiProperty({ type: String }) readonly node!: string;
  @ApiProperty({ enum: ['monitor', 'sensor'], nullable: true }) readonly role!: string | null;
  @ApiProperty({ type: Number }) readonly lastSeenMs!: number;
  @ApiProperty({ type: String, nullable: true }) readonly partner!: string | null;
  @ApiProperty({ description: 'service name -> last report (ms)', type: Object })
  readonly services!: Record<string, number>;
}

class NodesDto {
  @ApiProperty({ type: [NodeDto] }) readonly nodes!: NodeDto[];
}

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('api/v1/nodes')
export class NodesController {
  constructor(@Inject(LiveView) private readonly view: LiveView) {}

  @Get()
  @ApiOkResponse({ type: NodesDto })
  list(): NodesDto {
    return {
      nodes: this.view.nodes().map(({ node, role, lastSeenMs, partner, services }) => ({
        node,
        role,
        lastSeenMs,
        partner,
        services: services as Record<string, number>,
      })),
    };
  }
}
