import type { Provider, Type } from '@nestjs/common';
import { BoardCardsHandler } from '../board/board-cards.handler.js';
import { BoardCardsService } from '../board/board-cards.service.js';
import { BoardCollabRepository } from '../board/board-collab.repository.js';
import { BoardHandler } from '../board/board.handler.js';
import { CardRepository } from '../board/card.repository.js';
import { FeedbackService } from '../board/feedback.service.js';
import { IdeaHandler } from '../ideas/idea.handler.js';
import { IdeaRepository } from '../ideas/idea.repository.js';
import { IdeaService } from '../ideas/idea.service.js';
import { PitchIdeasHandler } from '../ideas/pitch-ideas.handler.js';
import { VoteHandler } from '../votes/vote.handler.js';
import { VoteRepository } from '../votes/vote.repository.js';
import { VoteService } from '../votes/vote.service.js';
import { SessionHandler } from './session.handler.js';
import { SessionService } from './session.service.js';

/** Market Place (issue 11): its RPC handlers, for the module's controllers. */
export const marketPlaceHandlers: Type[] = [SessionHandler, VoteHandler, BoardHandler, IdeaHandler];

/** Market Place's repositories, services and consumers, for the module's providers. */
export const marketPlaceProviders: Provider[] = [
  // repositories: all I/O
  VoteRepository,
  CardRepository,
  IdeaRepository,
  BoardCollabRepository,
  // services: logic
  SessionService,
  VoteService,
  FeedbackService,
  BoardCardsService,
  IdeaService,
  // consumers
  BoardCardsHandler,
  PitchIdeasHandler,
];
