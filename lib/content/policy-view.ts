import type { VerdictSummary } from '../messaging/protocol';
import { badgeShown } from '../settings/badge-policy';
import type { BadgePolicy } from '../settings/preferences';
import type { BadgeLayer } from './badge-layer';
import type { TrackerView } from './video-tracker';

type Badges = Pick<BadgeLayer, 'show' | 'remove' | 'suppress' | 'isOwn'>;

/**
 * The trackers' view of the badges, filtered by the badge policy: a video
 * whose verdict the policy hides has no badge, and one appears as soon as its
 * verdict (or the policy) says it should.
 */
export class PolicyView implements TrackerView {
  private policy: BadgePolicy = 'all';
  private readonly videos = new Map<
    HTMLVideoElement,
    { summary: VerdictSummary; onHide: () => void; hiddenByUser: boolean }
  >();

  /** Videos the user asked to check ("Check this video"): their badge shows whatever the policy says. */
  private readonly requested = new WeakSet<HTMLVideoElement>();

  constructor(private readonly badges: Badges) {}

  /**
   * The user asked for this video ("Check this video"): its badge is shown whatever the policy, and again if
   * they had hidden it, so the answer to their request is always on screen.
   */
  request(video: HTMLVideoElement): void {
    this.requested.add(video);
    const known = this.videos.get(video);
    if (!known) return;
    known.hiddenByUser = false;
    void this.apply(video);
  }

  /** Applies a new policy to every badge now. */
  setPolicy(policy: BadgePolicy): void {
    if (policy === this.policy) return;
    this.policy = policy;
    for (const video of this.videos.keys()) void this.apply(video);
  }

  show(video: HTMLVideoElement, summary: VerdictSummary, onHide: () => void): Promise<void> {
    const entry = { summary, onHide, hiddenByUser: false };
    // A badge the user hid stays hidden when a policy change would otherwise show it again.
    entry.onHide = () => {
      entry.hiddenByUser = true;
      onHide();
    };
    this.videos.set(video, entry);
    return this.apply(video);
  }

  update(video: HTMLVideoElement, summary: VerdictSummary): void {
    const known = this.videos.get(video);
    if (!known) return;
    known.summary = summary;
    void this.apply(video);
  }

  /** Removes a video's badge and forgets it. */
  forget(video: HTMLVideoElement): void {
    this.videos.delete(video);
    this.badges.remove(video);
  }

  // Trackers pass these two on as plain functions (hit tests), so they are bound here.
  readonly suppress = (video: HTMLVideoElement): (() => void) => this.badges.suppress(video);

  readonly isOwn = (element: Element): boolean => this.badges.isOwn(element);

  private async apply(video: HTMLVideoElement): Promise<void> {
    const known = this.videos.get(video);
    if (!known || known.hiddenByUser) return;
    if (this.requested.has(video) || badgeShown(this.policy, known.summary))
      await this.badges.show(video, known.summary, known.onHide);
    else this.badges.remove(video);
  }
}
