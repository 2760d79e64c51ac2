/**
 * What the web app is given for the community (issue 13, decision 031), and how the pages read
 * it: a paper's local vote count and the reader's vote (VoteService, the tallies), and the
 * members behind a discussion (one lookup of the authors by id and one of the @-mentioned
 * handles, batched per page), as the views' CommentPeople.
 */
import { mentionsIn } from '../../core/comment-markdown.js';
import type { Comment } from '../../ports/comments.js';
import type { Members } from '../../ports/members.js';
import type { CommentService } from '../../services/comment.service.js';
import type { VoteService } from '../../services/vote.service.js';
import type { PageCommunity } from './page-render.js';
import { communityUrls } from './urls.js';
import type { CommentPeople } from './views/comments.view.js';
import type { ProfilePart } from './views/member.view.js';

export interface WebCommunity {
  votes: VoteService;
  comments: CommentService;
  members: Members;
  /** sections other features add to members' pages (submissions, public collections) */
  profileParts?: ProfilePart[];
}

export function pageCommunity(c: WebCommunity): PageCommunity {
  return {
    votesOf: (paperId) => c.votes.votesOf(paperId),
    votedOn: (accountId, paperIds) => c.votes.votedOn(accountId, paperIds),
    people: (comments) => peopleOf(c.members, comments),
  };
}

/** Names and pages of the authors of these comments and of the members their visible bodies mention. */
export async function peopleOf(members: Members, comments: readonly Comment[]): Promise<CommentPeople> {
  const ids = [...new Set(comments.map((c) => c.authorId).filter((id): id is string => id !== null))];
  const handles = [...new Set(comments.flatMap((c) => (c.status === 'deleted' ? [] : mentionsIn(c.body))))];
  const [byId, byHandle] = await Promise.all([members.membersByIds(ids), members.membersByHandles(handles)]);
  return {
    name: (id) => byId.get(id)?.displayName ?? null,
    mention: (handle) => {
      const m = byHandle.get(handle.toLowerCase());
      return m ? communityUrls.member(m.id) : null;
    },
    profile: (id) => (byId.has(id) ? communityUrls.member(id) : null),
  };
}
