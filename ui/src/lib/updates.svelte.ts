import { errorText, ipc, type DownloadProgress, type UpdateStatus } from '$lib/ipc';

/** The window's one view of the team's update feed: the last check and an install under way,
 * shared by the banner on the home screen and the Updates section of Settings. */
class Updates {
  status = $state<UpdateStatus | null>(null);
  checking = $state(false);
  installing = $state(false);
  progress = $state<DownloadProgress | null>(null);
  /** Why the last check could not be made (the core failed to open, say). */
  checkError = $state<string | null>(null);
  /** Why the last install failed; it is not offered again until a new check finds it. */
  installError = $state<string | null>(null);
  /** The CSM said "Not now": the banner stays away until the next check finds something. */
  dismissed = $state(false);

  async check(): Promise<void> {
    this.checking = true;
    this.checkError = null;
    this.installError = null;
    try {
      this.status = await ipc.checkForUpdate();
      this.dismissed = false;
    } catch (e) {
      this.checkError = errorText(e);
    } finally {
      this.checking = false;
    }
  }

  /** Only after the CSM's yes, and only from screens with no draft open: Onramp restarts. */
  async install(): Promise<void> {
    this.installing = true;
    this.installError = null;
    this.progress = null;
    try {
      await ipc.installUpdate((p) => (this.progress = p));
    } catch (e) {
      this.installError = errorText(e);
      this.status = null;
    } finally {
      this.installing = false;
    }
  }
}

export const updates = new Updates();
